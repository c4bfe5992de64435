"""Mail settings (environment variables over a config file outside git) -> a validated Settings.

Settings never come from the inputs. Each unusable setting is one ReportError (exit code 6) with a
hint; unknown keys in the file are an error, so a typo cannot silently drop a setting.
"""

from __future__ import annotations

import configparser
import ipaddress
import os
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from report.errors import Diagnostic, ExitCode, ReportError

SECURITIES = ("starttls", "tls", "none")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
ENV = {  # setting -> environment variable
    "host": "REPORT_SMTP_HOST",
    "port": "REPORT_SMTP_PORT",
    "security": "REPORT_SMTP_SECURITY",
    "user": "REPORT_SMTP_USER",
    "password": "REPORT_SMTP_PASSWORD",
    "sender": "REPORT_MAIL_FROM",
    "timeout": "REPORT_SMTP_TIMEOUT",
    "retries": "REPORT_SMTP_RETRIES",
    "backoff": "REPORT_SMTP_BACKOFF",
    "cafile": "REPORT_SMTP_CAFILE",
    "rate": "REPORT_SMTP_RATE",
    "list_id": "REPORT_LIST_ID",
    "unsubscribe_url": "REPORT_UNSUBSCRIBE_URL",
    "unsubscribe_mailto": "REPORT_UNSUBSCRIBE_MAILTO",
    "unsubscribe_secret": "REPORT_UNSUBSCRIBE_SECRET",
}
SECRETS = ("password", "unsubscribe_secret")
CONFIG_ENV = "REPORT_SMTP_CONFIG"


def default_config_path(env: Mapping[str, str]) -> Path:
    base = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME", "~")).expanduser() / ".config")
    return Path(base) / "report" / "smtp.ini"


@dataclass(frozen=True)
class Settings:
    host: str
    port: int
    security: str
    user: str = ""
    password: str = field(default="", repr=False)
    sender: str = ""
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 2.0
    cafile: str = ""
    rate: float | None = None  # messages per second at most; None: as fast as the server takes them
    list_id: str = ""  # the List-Id header, e.g. '"Meridian updates" <updates.meridian.example>'
    unsubscribe_url: str = ""  # https://..., may hold {email} and {token} (see bulk.py)
    unsubscribe_mailto: str = ""  # mailto:...
    unsubscribe_secret: str = field(default="", repr=False)  # the key of {token}
    origin: str = "SMTP settings"  # where the settings came from, for messages

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


def _settings_error(message: str, origin: str, hint: str = "") -> ReportError:
    return ReportError([Diagnostic(origin, 0, 0, message, hint=hint)], ExitCode.SETTINGS)


def _read_config(path: Path, explicit: bool) -> dict[str, str]:
    if not path.is_file():
        if explicit:
            raise _settings_error(f"the SMTP config file {path} does not exist", CONFIG_ENV)
        return {}
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(path.read_text("utf-8"), source=str(path))
    except (OSError, UnicodeDecodeError, configparser.Error) as exc:
        raise _settings_error(f"cannot read the SMTP config file: {exc}", str(path)) from None
    if not parser.has_section("smtp"):
        raise _settings_error("no [smtp] section", str(path), "see the README, section Delivery")
    values = dict(parser.items("smtp"))
    unknown = sorted(set(values) - set(ENV) - {"from"})
    if unknown:
        raise _settings_error(f"unknown setting '{unknown[0]}' in [smtp]", str(path),
                              f"known settings: {', '.join(['from', *ENV])}")
    if "from" in values:
        values["sender"] = values.pop("from")
    if any(values.get(k) for k in SECRETS) and path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        print(f"report: warning: {path} holds a password or secret and is readable by others; "
              f"run: chmod 600 {path}", file=sys.stderr)
    return values


def load_settings(env: Mapping[str, str] | None = None, *, server: bool = True) -> Settings:
    """Settings from the config file (REPORT_SMTP_CONFIG or ~/.config/report/smtp.ini), each
    overridden by its environment variable; raises ReportError (exit code 6) when unusable.
    `server=False` (a dry run) does not require a server, but checks everything else."""
    env = os.environ if env is None else env
    explicit = bool(env.get(CONFIG_ENV))
    path = Path(env[CONFIG_ENV]).expanduser() if explicit else default_config_path(env)
    values = _read_config(path, explicit)
    origin = str(path) if values else "SMTP settings (environment)"
    for key, var in ENV.items():
        if env.get(var, "") != "":
            values[key] = env[var]
    return _validate(values, origin, server)


def _number(values: dict, key: str, kind, default, low, high, origin: str):
    raw = values.get(key, "")
    if raw == "":
        return default
    try:
        value = kind(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise _settings_error(f"{ENV[key]} must be a number from {low} to {high}, got {raw!r}",
                              origin)
    return value


def _validate(values: dict[str, str], origin: str, server: bool = True) -> Settings:
    host = values.get("host", "").strip()
    if not host and server:
        raise _settings_error("no SMTP server is configured", origin,
                              f"set {ENV['host']} (and {ENV['port']}, {ENV['security']}, "
                              f"{ENV['user']}, {ENV['password']}), or write a config file; "
                              "see the README, section Delivery")
    security = values.get("security", "starttls").strip().lower()
    if security not in SECURITIES:
        raise _settings_error(f"{ENV['security']} must be one of {', '.join(SECURITIES)}, "
                              f"got {security!r}", origin)
    user, password = values.get("user", ""), values.get("password", "")
    if bool(user) != bool(password):
        raise _settings_error(f"set both {ENV['user']} and {ENV['password']}, or neither", origin)
    if password and host and security == "none" and not is_loopback(host):
        raise _settings_error("refusing to send a password over an unencrypted connection to "
                              f"{host}", origin, f"set {ENV['security']}=starttls or tls")
    return Settings(
        host=host, port=_number(values, "port", int, DEFAULT_PORTS[security], 1, 65535, origin),
        security=security, user=user, password=password, sender=values.get("sender", "").strip(),
        timeout=_number(values, "timeout", float, 30.0, 0.05, 600, origin),
        retries=_number(values, "retries", int, 3, 0, 10, origin),
        backoff=_number(values, "backoff", float, 2.0, 0, 120, origin),
        cafile=values.get("cafile", ""), origin=origin, **_list_settings(values, origin))


def _list_settings(values: dict[str, str], origin: str) -> dict:
    """The pace and the bulk-mail headers' settings, each checked so a header can never be wrong."""
    from report.delivery import bulk
    from report.delivery.pace import parse_rate

    out = {}
    checks = {"rate": parse_rate, "list_id": bulk.check_list_id, "unsubscribe_url": bulk.check_url,
              "unsubscribe_mailto": bulk.check_mailto}
    for key, check in checks.items():
        raw = values.get(key, "").strip()
        if raw:
            try:
                out[key] = check(raw)
            except ValueError as exc:
                raise _settings_error(f"{ENV[key]}: {exc}", origin) from None
    out["unsubscribe_secret"] = values.get("unsubscribe_secret", "")
    if "{token}" in out.get("unsubscribe_url", "") and not out["unsubscribe_secret"]:
        raise _settings_error(f"{ENV['unsubscribe_url']} uses {{token}} but no secret is set",
                              origin, f"set {ENV['unsubscribe_secret']} to a long random string")
    return out


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
