"""page transcriptions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 00:49:07.896616
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "transcriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("page_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("machine", "curator", name="transcriptionkind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("page_xml", sa.Text(), nullable=False),
        sa.Column("engine", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(["page_id"], ["pages.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("page_id", "kind", "version"),
    )
    with op.batch_alter_table("transcriptions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_transcriptions_page_id"), ["page_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("transcriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transcriptions_page_id"))

    op.drop_table("transcriptions")
