"""On PostgreSQL, serve household search from a trigram index on the folded search column.

`search_text LIKE '%ma van lieu%'` scans every row without it; with pg_trgm's GIN index the same
query reads a few index pages at a million households. SQLite (the demo) has no such index type
and needs none at its size, so this migration does nothing there.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS household_search_trgm
    ON households_household USING gin (search_text gin_trgm_ops);
"""
DROP = "DROP INDEX IF EXISTS household_search_trgm;"


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("households", "0002_ordering_by_indexed_columns")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
