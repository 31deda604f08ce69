"""Deployment checks of the security settings, with Django's ids and messages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from fastjango.conf import settings
from fastjango.core.checks.messages import CheckMessage, Error, Warning
from fastjango.core.checks.registry import Tags, register
from fastjango.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from fastjango.apps.config import AppConfig

__all__ = [
    "CROSS_ORIGIN_OPENER_POLICY_VALUES",
    "REFERRER_POLICY_VALUES",
    "SECRET_KEY_INSECURE_PREFIXES",
    "SECRET_KEY_MIN_LENGTH",
    "SECRET_KEY_MIN_UNIQUE_CHARACTERS",
    "check_allowed_hosts",
    "check_content_type_nosniff",
    "check_cross_origin_opener_policy",
    "check_debug",
    "check_referrer_policy",
    "check_secret_key",
    "check_secret_key_fallbacks",
    "check_security_middleware",
    "check_ssl_redirect",
    "check_sts",
    "check_sts_include_subdomains",
    "check_sts_preload",
    "check_xframe_deny",
    "check_xframe_options_middleware",
]

SECURITY_MIDDLEWARE = "fastjango.middleware.security.SecurityMiddleware"
XFRAME_MIDDLEWARE = "fastjango.middleware.clickjacking.XFrameOptionsMiddleware"

CROSS_ORIGIN_OPENER_POLICY_VALUES = {"same-origin", "same-origin-allow-popups", "unsafe-none"}
REFERRER_POLICY_VALUES = {
    "no-referrer",
    "no-referrer-when-downgrade",
    "origin",
    "origin-when-cross-origin",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
    "unsafe-url",
}

# startproject writes "fastjango-insecure-..." keys; a project ported from Django
# may still carry Django's "django-insecure-..." one.
SECRET_KEY_INSECURE_PREFIXES = ("fastjango-insecure-", "django-insecure-")
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5

SECRET_KEY_WARNING_MSG = (
    f"Your %s has less than {SECRET_KEY_MIN_LENGTH} characters, less than "
    f"{SECRET_KEY_MIN_UNIQUE_CHARACTERS} unique characters, or it's prefixed with "
    "'fastjango-insecure-' (or Django's 'django-insecure-') indicating that it was "
    "generated automatically by startproject. Please generate a long and random value, "
    "otherwise many of FastJango's security-critical features will be vulnerable to attack."
)

W001 = Warning(
    f"You do not have '{SECURITY_MIDDLEWARE}' in your MIDDLEWARE so the "
    "SECURE_HSTS_SECONDS, SECURE_CONTENT_TYPE_NOSNIFF, SECURE_REFERRER_POLICY, "
    "SECURE_CROSS_ORIGIN_OPENER_POLICY, and SECURE_SSL_REDIRECT settings will have no effect.",
    id="security.W001",
)
W002 = Warning(
    f"You do not have '{XFRAME_MIDDLEWARE}' in your MIDDLEWARE, so your pages will not be "
    "served with an 'x-frame-options' header. Unless there is a good reason for your site "
    "to be served in a frame, you should consider enabling this header to help prevent "
    "clickjacking attacks.",
    id="security.W002",
)
W004 = Warning(
    "You have not set a value for the SECURE_HSTS_SECONDS setting. If your entire site is "
    "served only over SSL, you may want to consider setting a value and enabling HTTP "
    "Strict Transport Security. Be sure to read the documentation first; enabling HSTS "
    "carelessly can cause serious, irreversible problems.",
    id="security.W004",
)
W005 = Warning(
    "You have not set the SECURE_HSTS_INCLUDE_SUBDOMAINS setting to True. Without this, "
    "your site is potentially vulnerable to attack via an insecure connection to a "
    "subdomain. Only set this to True if you are certain that all subdomains of your "
    "domain should be served exclusively via SSL.",
    id="security.W005",
)
W006 = Warning(
    "Your SECURE_CONTENT_TYPE_NOSNIFF setting is not set to True, so your pages will not "
    "be served with an 'X-Content-Type-Options: nosniff' header. You should consider "
    "enabling this header to prevent the browser from identifying content types "
    "incorrectly.",
    id="security.W006",
)
W008 = Warning(
    "Your SECURE_SSL_REDIRECT setting is not set to True. Unless your site should be "
    "available over both SSL and non-SSL connections, you may want to either set this "
    "setting True or configure a load balancer or reverse-proxy server to redirect all "
    "connections to HTTPS.",
    id="security.W008",
)
W009 = Warning(SECRET_KEY_WARNING_MSG % "SECRET_KEY", id="security.W009")
W018 = Warning("You should not have DEBUG set to True in deployment.", id="security.W018")
W019 = Warning(
    f"You have '{XFRAME_MIDDLEWARE}' in your MIDDLEWARE, but X_FRAME_OPTIONS is not set to "
    "'DENY'. Unless there is a good reason for your site to serve other parts of itself in "
    "a frame, you should change it to 'DENY'.",
    id="security.W019",
)
W020 = Warning("ALLOWED_HOSTS must not be empty in deployment.", id="security.W020")
W021 = Warning(
    "You have not set the SECURE_HSTS_PRELOAD setting to True. Without this, your site "
    "cannot be submitted to the browser preload list.",
    id="security.W021",
)
W022 = Warning(
    "You have not set the SECURE_REFERRER_POLICY setting. Without this, your site will not "
    "send a Referrer-Policy header. You should consider enabling this header to protect "
    "user privacy.",
    id="security.W022",
)
E023 = Error(
    "You have set the SECURE_REFERRER_POLICY setting to an invalid value.",
    hint=f"Valid values are: {', '.join(sorted(REFERRER_POLICY_VALUES))}.",
    id="security.E023",
)
E024 = Error(
    "You have set the SECURE_CROSS_ORIGIN_OPENER_POLICY setting to an invalid value.",
    hint=f"Valid values are: {', '.join(sorted(CROSS_ORIGIN_OPENER_POLICY_VALUES))}.",
    id="security.E024",
)
W025 = Warning(SECRET_KEY_WARNING_MSG, id="security.W025")

Messages = list[CheckMessage]
AppConfigs = Sequence["AppConfig"] | None


def _security_middleware() -> bool:
    return SECURITY_MIDDLEWARE in settings.MIDDLEWARE


def _xframe_middleware() -> bool:
    return XFRAME_MIDDLEWARE in settings.MIDDLEWARE


def _check_secret_key(secret_key: object) -> bool:
    return (
        isinstance(secret_key, str)
        and len(set(secret_key)) >= SECRET_KEY_MIN_UNIQUE_CHARACTERS
        and len(secret_key) >= SECRET_KEY_MIN_LENGTH
        and not secret_key.startswith(SECRET_KEY_INSECURE_PREFIXES)
    )


@register(Tags.security, deploy=True)
def check_security_middleware(app_configs: AppConfigs = None, **kwargs: Any) -> Messages:
    """Warn when SecurityMiddleware is missing (W001)."""
    return [] if _security_middleware() else [W001]


@register(Tags.security, deploy=True)
def check_xframe_options_middleware(app_configs: AppConfigs = None, **kwargs: Any) -> Messages:
    """Warn when XFrameOptionsMiddleware is missing (W002)."""
    return [] if _xframe_middleware() else [W002]


@register(Tags.security, deploy=True)
def check_sts(app_configs: AppConfigs = None, **kwargs: Any) -> Messages:
    """Warn when HSTS is off (W004)."""
    passed = not _security_middleware() or settings.SECURE_HSTS_SECONDS
    return [] if passed else [W004]


@register(Tags.security, deploy=True)
def check_sts_include_subdomains(app_configs: AppConfigs = None, **kwargs: Any) -> Messages:
    """Warn when HSTS is on without includeSubDomains (W005)."""
    passed = (
        not _security_middleware()
        or not settings.SECURE_HSTS_SECONDS
        or settings.SECURE_HSTS_INCLUDE_SUBDOMAINS is True
    )
    return [] if passed else [W005]


@register(Tags.security, deploy=True)
def check_sts_preload(app_configs: AppConfigs = None, **kwargs: Any) -> Messages:
    """Warn when HSTS is on without preload (W021)."""
    passed = (
        not _security_middleware()
        or not settings.SECURE_HSTS_SECONDS
        or settings.SECURE_HSTS_PRELOAD is True
    )
    return [] if passed else [W021]


@register(Tags.security, deploy=True)
def check_content_type_nosniff(app_configs: AppConfigs = None, **kwargs: Any) -> Messages:
    """Warn when the nosniff header is off (W006)."""
    passed = not _security_middleware() or settings.SECURE_CONTENT_TYPE_NOSNIFF is True
    return [] if passed else [W006]


@register(Tags.security, deploy=True)
def check_ssl_redirect(app_configs: AppConfigs = None, **kwargs: Any) -> Messages:
    """Warn when plain HTTP is not redirected to HTTPS (W008)."""
    passed = not _security_middleware() or settings.SECURE_SSL_REDIRECT is True
    return [] if passed else [W008]


@register(Tags.security, deploy=True)
def check_secret_key(app_configs: AppConfigs = None, **kwargs: Any) -> Messages:
    """Warn when SECRET_KEY is short, repetitive or a generated placeholder (W009)."""
    try:
        secret_key = settings.SECRET_KEY
    except (ImproperlyConfigured, AttributeError):
        return [W009]
    return [] if _check_secret_key(secret_key) else [W009]


@register(Tags.security, deploy=True)
def check_secret_key_fallbacks(app_configs: AppConfigs = None, **kwargs: Any) -> Messages:
    """Warn about each weak entry of SECRET_KEY_FALLBACKS (W025)."""
    try:
        fallbacks = settings.SECRET_KEY_FALLBACKS
    except (ImproperlyConfigured, AttributeError):
        return [Warning(W025.msg % "SECRET_KEY_FALLBACKS", id=W025.id)]
    return [
        Warning(W025.msg % f"SECRET_KEY_FALLBACKS[{index}]", id=W025.id)
        for index, key in enumerate(fallbacks)
        if not _check_secret_key(key)
    ]


@register(Tags.security, deploy=True)
def check_debug(app_configs: AppConfigs = None, **kwargs: Any) -> Messages:
    """Warn when DEBUG is on (W018)."""
    return [] if not settings.DEBUG else [W018]


@register(Tags.security, deploy=True)
def check_xframe_deny(app_configs: AppConfigs = None, **kwargs: Any) -> Messages:
    """Warn when X_FRAME_OPTIONS is not DENY (W019)."""
    passed = not _xframe_middleware() or settings.X_FRAME_OPTIONS == "DENY"
    return [] if passed else [W019]


@register(Tags.security, deploy=True)
def check_allowed_hosts(app_configs: AppConfigs = None, **kwargs: Any) -> Messages:
    """Warn when ALLOWED_HOSTS is empty (W020)."""
    return [] if settings.ALLOWED_HOSTS else [W020]


@register(Tags.security, deploy=True)
def check_referrer_policy(app_configs: AppConfigs = None, **kwargs: Any) -> Messages:
    """Warn when no Referrer-Policy is set (W022); fail on an unknown value (E023)."""
    if not _security_middleware():
        return []
    policy = settings.SECURE_REFERRER_POLICY
    if policy is None:
        return [W022]
    # A comma-separated string or a list gives browsers fallbacks to choose from.
    if isinstance(policy, str):
        values = {value.strip() for value in policy.split(",")}
    else:
        try:
            values = set(policy)
        except TypeError:  # neither a string nor a list of them
            return [E023]
    return [] if values <= REFERRER_POLICY_VALUES else [E023]


@register(Tags.security, deploy=True)
def check_cross_origin_opener_policy(app_configs: AppConfigs = None, **kwargs: Any) -> Messages:
    """Fail on an unknown SECURE_CROSS_ORIGIN_OPENER_POLICY value (E024)."""
    policy = settings.SECURE_CROSS_ORIGIN_OPENER_POLICY
    if (
        _security_middleware()
        and policy is not None
        and policy not in CROSS_ORIGIN_OPENER_POLICY_VALUES
    ):
        return [E024]
    return []
