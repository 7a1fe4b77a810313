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
