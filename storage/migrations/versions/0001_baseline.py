"""Baseline schema: the DESIGN.md data model (agency, blob, fetch, report, versions, sightings,
runs, relations, events).

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agency",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("region", sa.Text(), nullable=False),
        sa.Column("level", sa.Text(), nullable=False),
        sa.Column("seed_url", sa.Text(), nullable=False),
        sa.Column("domains", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency")),
        sa.UniqueConstraint("name", name=op.f("uq_agency_name")),
    )
    op.create_table(
        "blob",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("stored_size", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_blob")),
    )
    op.create_table(
        "crawl_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("info", sa.JSON(), nullable=False),
        sa.Column("stats", sa.JSON(), nullable=False),
        sa.Column("exit_status", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crawl_run")),
    )
    op.create_table(
        "fetch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("final_url", sa.Text(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("content_type", sa.Text(), nullable=True),
        sa.Column("encoding", sa.Text(), nullable=True),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("blob_sha256", sa.String(length=64), nullable=True),
        sa.Column("payload_sha256", sa.String(length=64), nullable=True),
        sa.Column("payload_fp", sa.String(length=64), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("outcome", sa.String(length=30), nullable=True),
        sa.Column("kind", sa.Text(), nullable=True),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["blob_sha256"], ["blob.sha256"], name=op.f("fk_fetch_blob_sha256_blob")),
        sa.ForeignKeyConstraint(["run_id"], ["crawl_run.id"], name=op.f("fk_fetch_run_id_crawl_run")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fetch")),
    )
    op.create_index(op.f("ix_fetch_blob_sha256"), "fetch", ["blob_sha256"], unique=False)
    op.create_index(op.f("ix_fetch_run_id"), "fetch", ["run_id"], unique=False)
    op.create_index("ix_fetch_url_fetched_at", "fetch", ["url", "fetched_at"], unique=False)

    op.create_table(
        "report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("publisher", sa.Text(), nullable=False),
        sa.Column("publisher_key", sa.Text(), nullable=False),
        sa.Column("identity", sa.Text(), nullable=False),
        sa.Column("canonical_url", sa.Text(), nullable=False),
        sa.Column("source_url", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("published", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_report_agency_id_agency")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report")),
        sa.UniqueConstraint(
            "agency_id", "year", "publisher_key", name=op.f("uq_report_agency_id_year_publisher_key")
        ),
        sa.UniqueConstraint("identity", name=op.f("uq_report_identity")),
    )
    op.create_index(op.f("ix_report_agency_id"), "report", ["agency_id"], unique=False)

    op.create_table(
        "relation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("other_report_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["other_report_id"], ["report.id"], name=op.f("fk_relation_other_report_id_report")
        ),
        sa.ForeignKeyConstraint(["report_id"], ["report.id"], name=op.f("fk_relation_report_id_report")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relation")),
        sa.UniqueConstraint(
            "report_id", "other_report_id", "kind", name=op.f("uq_relation_report_id_other_report_id_kind")
        ),
    )
    op.create_index(op.f("ix_relation_other_report_id"), "relation", ["other_report_id"], unique=False)
    op.create_index(op.f("ix_relation_report_id"), "relation", ["report_id"], unique=False)

    op.create_table(
        "report_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("text_sha256", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("published", sa.Text(), nullable=True),
        sa.Column("format", sa.Text(), nullable=False),
        sa.Column("tables", sa.JSON(), nullable=False),
        sa.Column("parsed", sa.JSON(), nullable=False),
        sa.Column("checks", sa.JSON(), nullable=False),
        sa.Column("spam", sa.JSON(), nullable=False),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        sa.Column("minhash", sa.LargeBinary(), nullable=True),
        sa.Column("blob_sha256", sa.String(length=64), nullable=True),
        sa.Column("fetch_id", sa.Integer(), nullable=True),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
        sa.Column("diff", sa.Text(), nullable=False),
        sa.Column("changed_cells", sa.JSON(), nullable=False),
        sa.Column("meta_changes", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["blob_sha256"], ["blob.sha256"], name=op.f("fk_report_version_blob_sha256_blob")
        ),
        sa.ForeignKeyConstraint(["fetch_id"], ["fetch.id"], name=op.f("fk_report_version_fetch_id_fetch")),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_report_version_report_id_report")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_version")),
        sa.UniqueConstraint("report_id", "n", name=op.f("uq_report_version_report_id_n")),
    )
    op.create_index(op.f("ix_report_version_report_id"), "report_version", ["report_id"], unique=False)
    op.create_index(op.f("ix_report_version_text_sha256"), "report_version", ["text_sha256"], unique=False)

    op.create_table(
        "sighting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.Column("last_text_sha256", sa.String(length=64), nullable=False),
        sa.Column("last_fetch_id", sa.Integer(), nullable=True),
        sa.Column("removed_at", sa.DateTime(), nullable=True),
        sa.Column("removed_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["last_fetch_id"], ["fetch.id"], name=op.f("fk_sighting_last_fetch_id_fetch")
        ),
        sa.ForeignKeyConstraint(["report_id"], ["report.id"], name=op.f("fk_sighting_report_id_report")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sighting")),
        sa.UniqueConstraint("report_id", "url", name=op.f("uq_sighting_report_id_url")),
    )
    op.create_index(op.f("ix_sighting_report_id"), "sighting", ["report_id"], unique=False)
    op.create_index(op.f("ix_sighting_url"), "sighting", ["url"], unique=False)

    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("version_id", sa.Integer(), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["report.id"], name=op.f("fk_event_report_id_report")),
        sa.ForeignKeyConstraint(["run_id"], ["crawl_run.id"], name=op.f("fk_event_run_id_crawl_run")),
        sa.ForeignKeyConstraint(
            ["version_id"], ["report_version.id"], name=op.f("fk_event_version_id_report_version")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
    )
    op.create_index("ix_event_created_at", "event", ["created_at"], unique=False)
    op.create_index(op.f("ix_event_report_id"), "event", ["report_id"], unique=False)
    op.create_index(op.f("ix_event_run_id"), "event", ["run_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_event_run_id"), table_name="event")
    op.drop_index(op.f("ix_event_report_id"), table_name="event")
    op.drop_index("ix_event_created_at", table_name="event")

    op.drop_table("event")
    op.drop_index(op.f("ix_sighting_url"), table_name="sighting")
    op.drop_index(op.f("ix_sighting_report_id"), table_name="sighting")

    op.drop_table("sighting")
    op.drop_index(op.f("ix_report_version_text_sha256"), table_name="report_version")
    op.drop_index(op.f("ix_report_version_report_id"), table_name="report_version")

    op.drop_table("report_version")
    op.drop_index(op.f("ix_relation_report_id"), table_name="relation")
    op.drop_index(op.f("ix_relation_other_report_id"), table_name="relation")

    op.drop_table("relation")
    op.drop_index(op.f("ix_report_agency_id"), table_name="report")

    op.drop_table("report")
    op.drop_index("ix_fetch_url_fetched_at", table_name="fetch")
    op.drop_index(op.f("ix_fetch_run_id"), table_name="fetch")
    op.drop_index(op.f("ix_fetch_blob_sha256"), table_name="fetch")

    op.drop_table("fetch")
    op.drop_table("crawl_run")
    op.drop_table("blob")
    op.drop_table("agency")
