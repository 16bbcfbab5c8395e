"""Passwords must be strong: long, not common, not all digits, not like the username."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.factories import UserFactory


@pytest.mark.parametrize("password", ["demo", "lösenord", "123456789012", "password1234", "annaandersson1"])
@pytest.mark.django_db
def test_weak_passwords_are_refused(password):
    user = UserFactory(username="annaandersson", first_name="Anna", last_name="Andersson")
    with pytest.raises(ValidationError):
        validate_password(password, user)


@pytest.mark.django_db
def test_a_long_uncommon_password_is_accepted():
    user = UserFactory(username="annaandersson")
    validate_password("Sjuhärad-kvartal-4-avstämd", user)


@pytest.mark.django_db
def test_changing_to_a_weak_password_shows_a_swedish_error(client):
    user = UserFactory(username="anna")
    client.force_login(user)
    response = client.post(
        "/accounts/losenord/", {"old_password": "demo", "new_password1": "kort", "new_password2": "kort"}
    )
    assert response.status_code == 200
    assert "Det här lösenordet är för kort" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("demo")
