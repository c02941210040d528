"""List inventory per agency, for removals of reports that vanished from their list.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "list_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("url_sha256", sa.String(length=64), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("via", sa.Text(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_list_link_agency_id_agency")),
        sa.ForeignKeyConstraint(["run_id"], ["crawl_run.id"], name=op.f("fk_list_link_run_id_crawl_run")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_link")),
        sa.UniqueConstraint("agency_id", "url_sha256", name=op.f("uq_list_link_agency_id_url_sha256")),
    )
    op.create_index(op.f("ix_list_link_agency_id"), "list_link", ["agency_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_list_link_agency_id"), table_name="list_link")
    op.drop_table("list_link")
