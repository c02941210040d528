"""A report kept from its wrapper page alone (``stub``), and the page a file was linked from
(``sighting.via``), so that a wrapper and its file meet whatever order they arrive in.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("report") as batch:
        batch.add_column(sa.Column("stub", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("sighting") as batch:
        batch.add_column(sa.Column("via", sa.Text(), nullable=False, server_default=""))
    op.create_index(op.f("ix_sighting_via"), "sighting", ["via"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_sighting_via"), table_name="sighting")
    with op.batch_alter_table("sighting") as batch:
        batch.drop_column("via")
    with op.batch_alter_table("report") as batch:
        batch.drop_column("stub")
