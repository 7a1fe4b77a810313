"""Login throttling: guessing a curator's password is cut off after a few tries."""

from django.urls import reverse


def _login(client, password: str):
    return client.post(
        reverse("admin:login"),
        {"username": "curator", "password": password, "next": reverse("admin:index")},
    )


def test_repeated_wrong_passwords_lock_the_account_for_that_address(client, curator, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _login(client, "wrong")
        assert response.status_code == 200  # the form again, with its error
    locked = _login(client, "wrong")
    assert locked.status_code == 429
    # Even the right password does not get in while the lock lasts.
    assert _login(client, "pw-curator-123").status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_address_so_a_curator_elsewhere_still_signs_in(client, curator, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "wrong")
    from django.test import Client

    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    response = elsewhere.post(
        reverse("admin:login"),
        {"username": "curator", "password": "pw-curator-123", "next": reverse("admin:index")},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_a_successful_sign_in_resets_the_count(client, curator, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "wrong")
    assert _login(client, "pw-curator-123").status_code == 302
    client.logout()
    assert _login(client, "wrong").status_code == 200


def test_spraying_one_password_over_many_names_is_throttled(client, curator, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": f"someone-{n}", "password": "Summer2025!"})
    # The next guess, even at a real curator's name with the right password, is refused.
    response = client.post(reverse("login"), {"username": "curator",
                                              "password": "pw-curator-123"})
    assert response.status_code == 429


def test_behind_the_proxy_each_client_is_throttled_on_its_own_address(curator, settings):
    """Every request reaches us from the proxy's address; the client is the entry the proxy
    appended to X-Forwarded-For. One client's guesses must not lock the curator out."""
    from django.test import Client

    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    attacker = Client(**proxy, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        attacker.post(reverse("login"), {"username": "curator", "password": "wrong"})
    assert attacker.post(reverse("login"), {"username": "curator", "password": "wrong"}
                         ).status_code == 429
    # A spoofed left-hand entry does not escape: the proxy's own entry is what counts.
    spoofer = Client(**proxy, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9")
    assert spoofer.post(reverse("login"), {"username": "x", "password": "y"}).status_code == 429
    # The curator, from another address behind the same proxy, signs in.
    curator_client = Client(**proxy, HTTP_X_FORWARDED_FOR="192.0.2.44")
    response = curator_client.post(reverse("login"), {"username": "curator",
                                                      "password": "pw-curator-123"})
    assert response.status_code == 302


def test_signing_in_without_next_lands_on_the_overview(client, curator):
    response = client.post(reverse("login"), {"username": "curator",
                                              "password": "pw-curator-123"}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[0][0] == "/"
    assert response.request["PATH_INFO"].startswith("/t/")


def test_pages_that_require_sign_in_send_readers_to_the_sites_login(client, settings):
    assert settings.LOGIN_URL == "login"
    assert reverse(settings.LOGIN_URL) == "/accounts/login/"


def test_with_read_requires_login_a_reader_signs_in_and_reads(client, django_user_model,
                                                               settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE,
                           "django.contrib.auth.middleware.LoginRequiredMiddleware"]
    django_user_model.objects.create_user("reader", password="pw-reader-123")
    response = client.get("/search/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    login = client.get(response["Location"])
    assert login.status_code == 200
    signed_in = client.post(response["Location"], {"username": "reader",
                                                   "password": "pw-reader-123"})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/search/"
    assert client.get("/search/").status_code == 200
