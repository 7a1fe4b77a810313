import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Stances rejected before a reason was asked for: the constraint below needs one.
EARLIER = "Rejected before reasons were recorded."


def reasons_backfill(apps, schema_editor):
    for name in ("Stance", "HistoricalStance"):
        model = apps.get_model("stances", name)
        model.objects.filter(status="rejected", rejection_reason="").update(
            rejection_reason=EARLIER
        )


class Migration(migrations.Migration):

    dependencies = [
        ('stances', '0009_evidence_review'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='dispute',
            name='flagged_by',
            field=models.ForeignKey(blank=True, help_text='The curator who flagged a proposal as disputing approved stances; empty when approved stances disagree (found by detection).', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='dispute',
            name='outcome',
            field=models.CharField(blank=True, choices=[('kept', 'One report kept, the others rejected'), ('rejected', 'One report rejected'), ('both', 'Both stand (different voices)')], help_text='How it was resolved.', max_length=20),
        ),
        migrations.AddField(
            model_name='historicaldispute',
            name='flagged_by',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='The curator who flagged a proposal as disputing approved stances; empty when approved stances disagree (found by detection).', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicaldispute',
            name='outcome',
            field=models.CharField(blank=True, choices=[('kept', 'One report kept, the others rejected'), ('rejected', 'One report rejected'), ('both', 'Both stand (different voices)')], help_text='How it was resolved.', max_length=20),
        ),
        migrations.AddField(
            model_name='historicalstance',
            name='rejection_reason',
            field=models.TextField(blank=True, help_text='Why a curator rejected it: required to reject, kept in history.'),
        ),
        migrations.AddField(
            model_name='stance',
            name='rejection_reason',
            field=models.TextField(blank=True, help_text='Why a curator rejected it: required to reject, kept in history.'),
        ),
        migrations.RunPython(reasons_backfill, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='dispute',
            constraint=models.CheckConstraint(condition=models.Q(('outcome__in', ['kept', 'rejected', 'both', ''])), name='dispute_outcome_valid'),
        ),
        migrations.AddConstraint(
            model_name='stance',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'rejected'), _negated=True), models.Q(('rejection_reason', ''), _negated=True), _connector='OR'), name='stance_rejected_has_reason'),
        ),
    ]
