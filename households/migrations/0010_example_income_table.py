"""Ship an example B1 table (points for a household's characteristics and assets, and the income
per person per month a score stands for), marked as an example: a province enters its own.

The points and bands are made up to show the shape of a table, not a province's figures.
"""

from django.db import migrations

from households import standards_data


def load(apps, schema_editor):
    standards_data.load_example_income_table(
        apps.get_model("households", "PovertyStandard"), apps.get_model("households", "IncomeTable")
    )


def unload(apps, schema_editor):
    IncomeTable = apps.get_model("households", "IncomeTable")
    Survey = apps.get_model("households", "Survey")
    tables = IncomeTable.objects.filter(name=standards_data.EXAMPLE_INCOME_TABLE, is_example=True)
    # A survey scored on the example keeps it.
    tables.exclude(pk__in=Survey.objects.values("income_table_id")).delete()


class Migration(migrations.Migration):
    dependencies = [("households", "0009_standards_and_three_facts")]

    operations = [migrations.RunPython(load, unload)]
