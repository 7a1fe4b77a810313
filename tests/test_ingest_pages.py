"""The curator's ingest page, the live run page and the admin actions."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ingest import services
from ingest.models import Article, Feed, IngestRun, ItemStatus
from tests.webserver import article_html

pytestmark = pytest.mark.django_db

BODY = (
    "url: unknown\ntitle: Parliament backs a naval contribution\npublished: 2025-09-05\n"
    "outlet: Harbour Post\n---\nParliament voted on Friday to send two minehunters to the "
    "Black Sea part of the reassurance mission once a ceasefire is signed, the defence "
    "committee chair said.\n"
)
PARAGRAPHS = [
    "The prime minister told reporters that her country would contribute a logistics unit "
    "and staff officers to the headquarters of the planned multinational force.",
    "She said combat troops were not on the table for now, but that the government would "
    "review its offer after the coalition leaders meet again in the autumn.",
]


def test_it_sends_anonymous_users_to_login_and_refuses_outsiders(client, outsider):
    run = services.run_create(inputs=[], source="test")
    urls = [reverse("ingest:ingest"), reverse("ingest:run", args=[run.pk])]
    for url in urls:
        assert client.get(url).status_code == 302
    assert client.post(urls[0], {"urls": "https://example.org/x"}).status_code == 302
    client.force_login(outsider)
    for url in urls:
        assert client.get(url).status_code == 403
    assert client.post(urls[0], {"urls": "https://example.org/x"}).status_code == 403
    assert IngestRun.objects.count() == 1


def test_migrate_gives_the_curators_group_what_ingest_needs(client, django_user_model):
    """A first `migrate` alone (no second run, no fixture) equips curators to ingest."""
    from django.contrib.auth.models import Group, Permission
    from django.core.management import call_command

    from stances.roles import CURATORS

    # As on a fresh database: no group yet, and the ingest app's permissions not yet created
    # (migrate creates them in the ingest app's turn, after the stances app's).
    Group.objects.filter(name=CURATORS).delete()
    Permission.objects.filter(content_type__app_label="ingest").delete()
    call_command("migrate", verbosity=0)
    user = django_user_model.objects.create_user(
        "newcurator", password="pw-new-curator-1", is_staff=True
    )
    user.groups.add(Group.objects.get(name=CURATORS))
    client.force_login(user)
    assert client.get(reverse("ingest:ingest")).status_code == 200
    run = services.run_create(inputs=[], source="test")
    assert client.get(reverse("ingest:run", args=[run.pk])).status_code == 200
    # Curators register feeds and watch runs in the admin too.
    assert client.get(reverse("admin:ingest_feed_add")).status_code == 200
    assert client.get(reverse("admin:ingest_ingestrun_changelist")).status_code == 200


def test_it_shows_the_form_and_recent_runs(client, curator, django_assert_max_num_queries):
    for _ in range(3):
        services.run_create(inputs=[], source="cli", label="seeds")
    client.force_login(curator)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("ingest:ingest"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'type="file"' in page and 'name="urls"' in page
    assert page.count("seeds") == 3


def test_a_curator_uploads_files_and_pastes_urls(
    client, curator, web, settings, django_capture_on_commit_callbacks
):
    settings.INGEST_MAX_BYTES = 5000
    url = web.add("/news/1", article_html("Logistics unit offered", PARAGRAPHS))
    client.force_login(curator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("ingest:ingest"),
            {
                "files": [
                    SimpleUploadedFile("a.txt", BODY.encode()),
                    SimpleUploadedFile("big.txt", b"x" * 6000),
                ],
                "urls": f"{url}\n\nftp://example.org/file\n",
            },
        )
    run = IngestRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("ingest:run", args=[run.pk])
    assert (run.started_by, run.source, run.total) == (curator, "web", 4)
    assert (run.status, run.new_count, run.failed_count) == ("done", 2, 2)
    assert set(Article.objects.values_list("title", flat=True)) == {
        "Parliament backs a naval contribution",
        "Logistics unit offered",
    }
    assert run.items.get(source="big.txt").error.startswith("The file is")
    assert run.items.filter(payload__isnull=False).count() == 0


def test_an_empty_submission_says_what_is_missing(client, curator):
    client.force_login(curator)
    response = client.post(reverse("ingest:ingest"), {"urls": ""})
    assert response.status_code == 200
    assert "Choose files to upload or paste URLs." in response.content.decode()
    assert IngestRun.objects.count() == 0


def _unfinished_run():
    run = services.run_create(
        inputs=[
            services.ItemInput("file", "a.txt", payload=BODY.encode()),
            services.ItemInput("file", "b.txt", payload=b""),
            services.ItemInput("url", "gopher://x", error="Only http and https addresses."),
        ],
        source="web",
    )
    item = run.items.get(source="a.txt")
    services.item_process(item_id=item.pk)
    run.refresh_from_db()
    return run


def test_the_run_page_shows_progress_and_errors(client, curator, django_assert_max_num_queries):
    run = _unfinished_run()
    client.force_login(curator)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("ingest:run", args=[run.pk]))
    page = response.content.decode()
    assert 'value="67"' in page and "2 of 3 items" in page
    assert 'hx-trigger="every 1s"' in page
    assert "Only http and https addresses." in page
    assert 'http-equiv="refresh"' in page  # without JavaScript the page reloads itself
    assert "Parliament backs a naval contribution" in page


def test_the_htmx_poll_returns_the_progress_only_and_stops_when_done(
    client, curator, django_assert_max_num_queries
):
    run = _unfinished_run()
    client.force_login(curator)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("ingest:run", args=[run.pk]), HTTP_HX_REQUEST="true")
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<section id="progress"')
    assert "<html" not in fragment and 'hx-trigger="every 1s"' in fragment
    assert "HX-Refresh" not in response
    services.run_execute(run_id=run.pk)
    response = client.get(reverse("ingest:run", args=[run.pk]), HTTP_HX_REQUEST="true")
    fragment = response.content.decode()
    assert "hx-trigger" not in fragment and "Done" in fragment
    assert "The file is empty." in fragment
    assert response["HX-Refresh"] == "true"  # once, so the item table shows the end


def test_admin_actions_poll_feeds_and_resume_runs(
    admin_client, web, django_capture_on_commit_callbacks
):
    web.add("/feed", "not a feed", content_type="text/plain")
    feed = Feed.objects.create(url=web.url("/feed"))
    admin_client.post(
        reverse("admin:ingest_feed_changelist"),
        {"action": "poll_now", "_selected_action": [feed.pk]},
    )
    feed.refresh_from_db()
    assert "not an RSS or Atom feed" in feed.last_error
    stuck = services.run_create(
        inputs=[services.ItemInput("file", "a.txt", payload=BODY.encode())], source="web"
    )
    admin_client.post(
        reverse("admin:ingest_ingestrun_changelist"),
        {"action": "resume", "_selected_action": [stuck.pk]},
    )
    stuck.refresh_from_db()
    assert (stuck.status, stuck.new_count) == ("done", 1)
    assert stuck.items.get().status == ItemStatus.NEW


def test_admin_pages_for_runs_and_feeds_open(admin_client):
    run = _unfinished_run()
    change = reverse("admin:ingest_ingestrun_change", args=[run.pk])
    assert admin_client.get(change).status_code == 200
    assert admin_client.get(reverse("admin:ingest_feed_add")).status_code == 200


def test_admin_action_proposes_stances_again(admin_client):
    from tests.factories import make_article

    article = make_article()
    response = admin_client.post(
        reverse("admin:ingest_article_changelist"),
        {"action": "extract_again", "_selected_action": [article.pk]},
        follow=True,
    )
    assert "0 new stance(s) proposed." in response.content.decode()


def test_an_empty_file_fails_alone_and_the_rest_of_the_upload_is_ingested(
    client, curator, django_capture_on_commit_callbacks
):
    client.force_login(curator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("ingest:ingest"),
            {"files": [SimpleUploadedFile("a.txt", BODY.encode()),
                       SimpleUploadedFile("empty.txt", b"")]},
        )
    run = IngestRun.objects.get()
    assert response.status_code == 302
    assert (run.total, run.status, run.new_count, run.failed_count) == (2, "done", 1, 1)
    assert run.items.get(source="empty.txt").error == "The file is empty."
    page = client.get(reverse("ingest:run", args=[run.pk])).content.decode()
    assert "empty.txt</strong>: The file is empty." in page


# --- Who may run the admin's actions ---------------------------------------------------------
# Curators see articles and runs (view permissions) but may not extract again or resume: each
# action asks for its own permission, checked by the admin and again by the action itself.


@pytest.fixture
def ingest_operator(django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("operator", password="pw-op-12345", is_staff=True)
    codenames = ["view_article", "extract_article", "view_ingestrun", "resume_ingestrun"]
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="ingest", codename__in=codenames)
    )
    return user


@pytest.fixture
def extractions(monkeypatch):
    calls: list[int] = []
    monkeypatch.setattr(
        services, "article_extract", lambda *, article_id: calls.append(article_id) or 0
    )
    return calls


def _extract_again(client, article):
    return client.post(
        reverse("admin:ingest_article_changelist"),
        {"action": "extract_again", "_selected_action": [article.pk]},
    )


def _resume(client, run):
    return client.post(
        reverse("admin:ingest_ingestrun_changelist"),
        {"action": "resume", "_selected_action": [run.pk]},
    )


def _stuck_run():
    return services.run_create(
        inputs=[services.ItemInput("file", "a.txt", payload=BODY.encode())], source="web"
    )


def test_it_refuses_extract_again_and_resume_to_anonymous_users_and_outsiders(
    client, outsider, extractions
):
    from tests.factories import make_article

    article, run = make_article(), _stuck_run()
    for user in (None, outsider):
        if user:
            client.force_login(user)
        assert _extract_again(client, article).status_code == 302  # to the admin's login
        assert _resume(client, run).status_code == 302
    run.refresh_from_db()
    assert (extractions, run.status) == ([], "queued")


@pytest.fixture
def view_only(django_user_model):
    """Staff who may look at articles and runs in the admin, and nothing more."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("viewer", password="pw-viewer-123",
                                                 is_staff=True)
    user.user_permissions.set(Permission.objects.filter(
        content_type__app_label="ingest", codename__in=["view_article", "view_ingestrun"]))
    return user


def test_curators_may_extract_again_and_resume(curator):
    assert curator.has_perms(["ingest.extract_article", "ingest.resume_ingestrun"])


def test_it_refuses_extract_again_and_resume_to_view_only_curators(client, view_only,
                                                                   extractions):
    from tests.factories import make_article

    article, run = make_article(), _stuck_run()
    client.force_login(view_only)
    changelist = client.get(reverse("admin:ingest_article_changelist"))
    assert changelist.status_code == 200 and "extract_again" not in changelist.content.decode()
    runs = client.get(reverse("admin:ingest_ingestrun_changelist"))
    assert runs.status_code == 200 and 'value="resume"' not in runs.content.decode()
    _extract_again(client, article)
    _resume(client, run)
    run.refresh_from_db()
    assert (extractions, run.status) == ([], "queued")


def test_the_actions_check_their_permission_themselves(rf, view_only, extractions):
    from django.contrib.admin.sites import site
    from django.core.exceptions import PermissionDenied

    from ingest.models import Article as ArticleModel
    from tests.factories import make_article

    article, run = make_article(), _stuck_run()
    request = rf.post("/")
    request.user = view_only
    with pytest.raises(PermissionDenied):
        site._registry[ArticleModel].extract_again(request, ArticleModel.objects.all())
    with pytest.raises(PermissionDenied):
        site._registry[IngestRun].resume(request, IngestRun.objects.all())
    run.refresh_from_db()
    assert (extractions, run.status, article.status) == ([], "queued", "stored")


def test_a_user_given_each_permission_runs_the_actions(client, ingest_operator, extractions):
    from tests.factories import make_article

    article, run = make_article(), _stuck_run()
    client.force_login(ingest_operator)
    _extract_again(client, article)
    _resume(client, run)
    run.refresh_from_db()
    # The resumed run stored a new article, which went to extraction after the selected one.
    assert (extractions[0], run.status) == (article.pk, "done")


def test_superusers_run_the_actions(admin_client, extractions):
    from tests.factories import make_article

    article, run = make_article(), _stuck_run()
    _extract_again(admin_client, article)
    _resume(admin_client, run)
    run.refresh_from_db()
    # The resumed run stored a new article, which went to extraction after the selected one.
    assert (extractions[0], run.status) == (article.pk, "done")


# --- Uploads wait on disk ---------------------------------------------------------------------


def test_uploads_wait_on_disk_and_are_deleted_once_done(
    client, curator, settings, django_capture_on_commit_callbacks
):
    """Neither in memory nor in a database row: moved to INGEST_UPLOAD_DIR as streamed, read
    there by the worker, deleted when the item is done."""
    from django.core.files.uploadedfile import TemporaryUploadedFile

    def refuse(*args, **kwargs):
        raise AssertionError("the web process read an upload")

    big = BODY.encode() + b"Ministers met again.\n" * 20_000  # over 64 KiB: a temporary file
    assert len(big) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    client.force_login(curator)
    original = (TemporaryUploadedFile.read, TemporaryUploadedFile.chunks)
    TemporaryUploadedFile.read = TemporaryUploadedFile.chunks = refuse
    try:
        response = client.post(
            reverse("ingest:ingest"),
            {"files": [SimpleUploadedFile("big.txt", big),
                       SimpleUploadedFile("small.txt", BODY.replace("Parliament", "Senate")
                                          .encode())]},
        )
    finally:
        TemporaryUploadedFile.read, TemporaryUploadedFile.chunks = original
    assert response.status_code == 302
    run = IngestRun.objects.get()
    items = list(run.items.all())
    folder = settings.INGEST_UPLOAD_DIR
    assert [i.payload for i in items] == [None, None]
    assert [(folder / i.upload.name).read_bytes()[:20] for i in items] == [
        big[:20], BODY.encode()[:20]
    ]
    assert (folder / items[0].upload.name).stat().st_size == len(big)
    with django_capture_on_commit_callbacks(execute=True):
        services.run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert (run.status, run.new_count) == ("done", 2)
    assert list(folder.iterdir()) == []
    assert not any(i.upload for i in run.items.all())


def test_an_upload_gone_from_the_shared_folder_fails_with_the_reason(client, curator, settings):
    client.force_login(curator)
    client.post(reverse("ingest:ingest"), {"files": [SimpleUploadedFile("a.txt", BODY.encode())]})
    run = IngestRun.objects.get()
    (settings.INGEST_UPLOAD_DIR / run.items.get().upload.name).unlink()
    services.run_execute(run_id=run.pk)
    assert "must be shared by the web process and the workers" in run.items.get().error


def test_deleting_a_run_deletes_the_files_still_waiting(
    client, curator, settings, django_capture_on_commit_callbacks
):
    client.force_login(curator)
    client.post(reverse("ingest:ingest"), {"files": [SimpleUploadedFile("a.txt", BODY.encode())]})
    assert len(list(settings.INGEST_UPLOAD_DIR.iterdir())) == 1
    with django_capture_on_commit_callbacks(execute=True):
        IngestRun.objects.get().delete()
    assert list(settings.INGEST_UPLOAD_DIR.iterdir()) == []
