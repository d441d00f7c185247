"""Settings come from the environment; bad values are refused by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from goldenthread.config.env import env_bool, env_int, env_str, generated_secret


def test_secret_is_generated_once_and_private(tmp_path: Path) -> None:
    path = tmp_path / "var" / "secret_key"
    first = generated_secret(path)
    assert generated_secret(path) == first and len(first) >= 50
    assert path.stat().st_mode & 0o777 == 0o600


def test_bad_boolean_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEBUG", "perhaps")
    with pytest.raises(ValueError, match="DEBUG: 'perhaps' is not a yes/no value"):
        env_bool("DEBUG", False)


def test_bad_integer_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SESSION_IDLE_SECONDS", "ten")
    with pytest.raises(ValueError, match="SESSION_IDLE_SECONDS: 'ten' is not a whole number"):
        env_int("SESSION_IDLE_SECONDS", 1800)


def test_empty_variable_counts_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    """`DATABASE_URL= make ...` must mean the default database, not an empty URL."""
    monkeypatch.setenv("DATABASE_URL", "")
    assert env_str("DATABASE_URL", "sqlite:///var/x.sqlite3") == "sqlite:///var/x.sqlite3"


def test_file_variant_reads_a_secret_from_a_file(monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    secret = tmp_path / "key"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("SECRET_KEY_FILE", str(secret))
    assert env_str("SECRET_KEY", "") == "from-a-file"


def test_production_defaults_are_safe() -> None:
    """Without DEBUG in the environment, debug is off and cookies are secure."""
    from django.conf import settings

    assert settings.DEBUG is False
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
