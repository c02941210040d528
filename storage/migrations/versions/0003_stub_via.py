"""A report kept from its wrapper page alone (``stub``), the run that stored a report
(``first_run``), and the page a file was linked from (``sighting.via``): so that a wrapper and its
file, or two renderings of a report, end alike whatever order they arrive in.

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
        batch.add_column(sa.Column("first_run", sa.Integer(), nullable=True))
    with op.batch_alter_table("sighting") as batch:
        batch.add_column(sa.Column("via", sa.Text(), nullable=False, server_default=""))
    op.create_index(op.f("ix_sighting_via"), "sighting", ["via"], unique=False)
    op.create_index(op.f("ix_sighting_last_text_sha256"), "sighting", ["last_text_sha256"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_sighting_last_text_sha256"), table_name="sighting")
    op.drop_index(op.f("ix_sighting_via"), table_name="sighting")
    with op.batch_alter_table("sighting") as batch:
        batch.drop_column("via")
    with op.batch_alter_table("report") as batch:
        batch.drop_column("first_run")
        batch.drop_column("stub")
