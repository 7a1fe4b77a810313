from django.db import migrations
from django.utils.text import slugify


def load(apps, schema_editor):
    from stances.reference import GROUPS, TOPIC, sovereign_countries

    Country = apps.get_model("stances", "Country")
    CountryGroup = apps.get_model("stances", "CountryGroup")
    Topic = apps.get_model("stances", "Topic")

    for iso2, name, slug in sovereign_countries():
        Country.objects.update_or_create(iso2=iso2, defaults={"name": name, "slug": slug})
    by_code = {c.iso2: c for c in Country.objects.all()}
    for name, codes in GROUPS.items():
        group, _ = CountryGroup.objects.update_or_create(
            slug=slugify(name), defaults={"name": name}
        )
        group.members.set([by_code[code] for code in codes.split()])
    Topic.objects.update_or_create(slug=TOPIC["slug"], defaults=TOPIC)


class Migration(migrations.Migration):
    dependencies = [("stances", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
