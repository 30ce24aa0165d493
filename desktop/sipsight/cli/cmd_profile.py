"""`sipsight profile add|list|remove|test|intercom`: provider accounts and the Intercom inbox; secrets go to the OS
keyring only.

Each change is a targeted update of the settings file as it is now (settings.store.save_profile /
remove_profile), so concurrent runs, and the desktop app, keep each other's profiles.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING

from pydantic import ValidationError

from sipsight.core.errors import InputError

if TYPE_CHECKING:
    from sipsight.settings.model import Settings


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("profile", help="manage provider accounts (Twilio, SignalWire) and the Intercom inbox")

    def usage(_args: argparse.Namespace) -> int:  # `sipsight profile` alone: the actions, and a usage error
        p.print_help()
        return 2

    p.set_defaults(func=usage)
    cmds = p.add_subparsers(dest="profile_command", metavar="ACTION")

    add = cmds.add_parser("add", help="add or replace a profile (asks for the secret)")
    add.add_argument("name")
    add.add_argument("--provider", choices=["twilio", "signalwire"], default="twilio")
    add.add_argument("--account-sid", required=True, help="Twilio Account SID (AC...) or SignalWire Project ID")
    add.add_argument("--api-key", help="Twilio API key SID (SK...); recommended over the Auth Token")
    add.add_argument("--auth-mode", choices=["api_key", "auth_token"], help="default: api_key when --api-key is given")
    add.add_argument("--space", help="SignalWire space name (example for example.signalwire.com)")
    add.add_argument("--base-url", help="send every request to this origin (a proxy or the simulator)")
    add.add_argument("--api-host", help="regional API host, e.g. api.dublin.ie1.twilio.com")
    add.add_argument("--insights-host", help="regional Voice Insights host")
    add.add_argument("--lookups-host", help="regional Lookup host")
    add.add_argument("--monitor-host", help="regional Monitor host")
    add.add_argument("--subaccounts", choices=["this", "all"], default="this", help="search sub-accounts too")
    add.add_argument("--region", help="default country for numbers without a country code (e.g. US)")
    add.add_argument("--timezone", help="IANA time zone for this account's times, or 'local'")
    add.add_argument("--line-type-lookup", action="store_true", help="also run a Lookup v2 line-type check (billed)")
    add.add_argument("--secret-stdin", action="store_true", help="read the secret from standard input (scripts)")
    add.add_argument("--activate", action="store_true", help="make it the active profile")
    add.set_defaults(func=_telling_notes(_add))

    lst = cmds.add_parser("list", help="list profiles (never shows secrets)")
    lst.set_defaults(func=_telling_notes(_list))

    rm = cmds.add_parser("remove", help="remove a profile and its stored secret")
    rm.add_argument("name")
    rm.set_defaults(func=_telling_notes(_remove))

    test = cmds.add_parser("test", help="connect with a profile and report what it can see")
    test.add_argument("name", nargs="?", help="default: the active profile")
    test.set_defaults(func=_telling_notes(_test))

    _add_intercom_parser(cmds)


# ---------------------------------------------------------------------------------------------- Intercom


def _add_intercom_parser(cmds: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ic = cmds.add_parser(
        "intercom",
        help="the Intercom inbox: access token, region, caller-ID attributes",
        description="Set up the Intercom inbox (docs/inbox.md): the access token (kept in the "
        "keyring), the region, and which custom attributes hold the customer's caller ID. Without "
        "options it shows the setup.",
    )
    ic.add_argument("--region", choices=["us", "eu", "au"], help="where the Intercom workspace is hosted")
    ic.add_argument(
        "--api-base",
        metavar="URL",
        help="send Intercom requests to this origin (a proxy or the simulator); '' for the region's own",
    )
    ic.add_argument(
        "--caller-id-attribute",
        action="append",
        metavar="NAME",
        help="a contact custom attribute that holds the caller ID (repeat for several; replaces the list)",
    )
    ic.add_argument(
        "--company-caller-id-attribute",
        action="append",
        metavar="NAME",
        help="a company custom attribute that holds the caller ID (repeat for several; replaces the list)",
    )
    ic.add_argument(
        "--subaccount-attribute",
        metavar="NAME",
        help="a contact or company attribute holding the provider sub-account SID ('' for none)",
    )
    phone = ic.add_mutually_exclusive_group()
    phone.add_argument(
        "--offer-contact-phone",
        action="store_true",
        help="offer the contact's own phone as a caller-ID candidate (the default; never used without choosing it)",
    )
    phone.add_argument("--no-contact-phone", action="store_true", help="do not offer the contact's own phone")
    ic.add_argument("--admin-id", metavar="ID", help="the admin who authors the notes ('' for the token's own)")
    ic.add_argument("--token-stdin", action="store_true", help="read the access token from standard input")
    ic.add_argument("--ask-token", action="store_true", help="ask for the access token (typed, not shown)")
    ic.add_argument("--show", action="store_true", help="show the setup (never the token)")
    ic.add_argument("--test", action="store_true", help="connect with the token and say which admin and workspace")
    ic.add_argument("--remove", action="store_true", help="forget the token and the Intercom setup")
    ic.set_defaults(func=_telling_notes(_intercom))


def _read_token(args: argparse.Namespace) -> str:
    if args.token_stdin:
        token = sys.stdin.readline().strip()
    else:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", getpass.GetPassWarning)
                token = getpass.getpass("Intercom access token: ").strip()
        except getpass.GetPassWarning:
            raise InputError("There is no terminal to type the token in.", "Pipe it in with --token-stdin.") from None
        except EOFError:
            token = ""
    if not token:
        raise InputError("No Intercom access token was given.", "Pipe it in with --token-stdin, or use --ask-token.")
    if any(c.isspace() for c in token) or len(token) > 500:
        raise InputError(
            "That does not look like an Intercom access token (spaces, or far too long).",
            "Copy it from the Developer Hub: your app > Configure > Authentication.",
        )
    return token


def _intercom_changes(args: argparse.Namespace) -> dict[str, object]:
    from sipsight.providers.url_policy import UnsafeUrl, check_base_url

    changes: dict[str, object] = {}
    if args.region:
        changes["region"] = args.region
    if args.api_base is not None:
        try:
            changes["api_base"] = check_base_url(args.api_base)
        except UnsafeUrl as err:
            raise InputError(
                f"--api-base '{args.api_base}' cannot be used: {err}.",
                "Use https:// (plain http:// only to this computer, e.g. http://127.0.0.1:8080).",
            ) from None
    if args.caller_id_attribute:
        changes["contact_attributes"] = args.caller_id_attribute
    if args.company_caller_id_attribute:
        changes["company_attributes"] = args.company_caller_id_attribute
    if args.subaccount_attribute is not None:
        changes["subaccount_attribute"] = args.subaccount_attribute or None
    if args.offer_contact_phone or args.no_contact_phone:
        changes["offer_contact_phone"] = bool(args.offer_contact_phone)
    if args.admin_id is not None:
        changes["admin_id"] = args.admin_id or None
    return changes


def _intercom(args: argparse.Namespace) -> int:
    from sipsight.settings import credentials
    from sipsight.settings.model import IntercomSettings
    from sipsight.settings.store import save_intercom

    if args.remove:
        _saving(lambda: save_intercom(lambda _old: IntercomSettings()))
        credentials.delete_secret(*credentials.INTERCOM_KEY)
        print("Removed the Intercom setup and its stored access token.")
        return 0
    changes = _intercom_changes(args)
    if changes:

        def change(old: IntercomSettings) -> IntercomSettings:
            return IntercomSettings.model_validate({**old.model_dump(), **changes})

        try:
            _saving(lambda: save_intercom(change))
        except ValidationError as exc:
            raise InputError(
                f"The Intercom setup is not valid: {exc.errors()[0]['msg']}.", "See 'sipsight profile intercom --help'."
            ) from None
        print("Saved the Intercom setup.")
    if args.token_stdin or args.ask_token:
        notice = credentials.set_secret(*credentials.INTERCOM_KEY, _read_token(args))
        print(notice or "The Intercom access token is in the system keyring.")
    if args.test:
        return _intercom_test()
    if args.show or not (changes or args.token_stdin or args.ask_token):
        _intercom_show()
    return 0


def _saving(save: Callable[[], object]) -> object:
    try:
        return save()
    except OSError as err:
        raise InputError(
            f"Cannot save the settings: {err.strerror or err} ({err.filename or 'settings folder'}).",
            "Check that SIPSIGHT_HOME (or the config folder) is a writable folder.",
        ) from None


def _intercom_show() -> None:
    from sipsight.inbox.callerid import contact_attributes
    from sipsight.inbox.links import api_base
    from sipsight.settings import credentials

    ic = _load_settings().intercom
    stored = "stored" if credentials.get_secret(*credentials.INTERCOM_KEY) else "not stored"
    named = "" if ic.contact_attributes is not None else " (the default)"
    print(f"Intercom: region {ic.region.upper()}, API {ic.api_base or api_base(ic.region)}; access token {stored}")
    print(f"  caller ID from contact attributes: {', '.join(contact_attributes(ic)) or 'none'}{named}")
    print(f"  caller ID from company attributes: {', '.join(ic.company_attributes) or 'none'}")
    print(f"  sub-account SID attribute: {ic.subaccount_attribute or 'none'}")
    print(f"  the contact's own phone: {'offered as a candidate only' if ic.offer_contact_phone else 'not offered'}")
    print(f"  notes authored by: {('admin ' + ic.admin_id) if ic.admin_id else 'the token’s own admin'}")


def _intercom_test() -> int:
    from sipsight.inbox import open_intercom

    with open_intercom() as inbox:
        me = inbox.client.me(inbox.client.scope())
    app = me["app"] if isinstance(me.get("app"), dict) else {}
    print(
        f"Intercom: admin {me.get('name') or '?'} ({me.get('id')}), workspace {app.get('id_code') or '?'} "
        f"({app.get('name') or 'unnamed'}, region {app.get('region') or '?'})."
    )
    return 0


def _telling_notes(action: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Run `action`, then tell on stderr, once, any note about the settings file (set aside, upgraded)."""

    def run(args: argparse.Namespace) -> int:
        try:
            return action(args)
        finally:
            _print_notes()

    return run


def _print_notes() -> None:
    if "sipsight.settings.store" not in sys.modules:  # nothing loaded the settings: nothing to tell
        return
    from sipsight.settings.store import take_notes

    for note in take_notes():
        print(f"sipsight: note: {note}", file=sys.stderr)


def _read_secret(args: argparse.Namespace, field: str) -> str:
    label = {"api_key_secret": "API key secret", "auth_token": "Auth Token", "api_token": "API token"}[field]
    if args.secret_stdin:
        secret = sys.stdin.readline().strip()
    else:
        try:
            with warnings.catch_warnings():
                # no terminal: getpass would warn and echo the secret; say how to pass it instead
                warnings.simplefilter("error", getpass.GetPassWarning)
                secret = getpass.getpass(f"{label} for profile '{args.name}': ").strip()
        except getpass.GetPassWarning:
            raise InputError(
                f"There is no terminal to type the {label} in.", "Pipe it in with --secret-stdin."
            ) from None
        except EOFError:
            secret = ""
    if not secret:
        raise InputError(f"No {label} was given.", "Type it at the prompt, or pipe it in with --secret-stdin.")
    return secret


_HOSTS = ("api", "insights", "lookups", "monitor")


def _check_add_args(args: argparse.Namespace) -> None:
    """What the profile model lets through but no provider would accept: caught before anything is saved."""
    from sipsight.cli.common import region_arg

    if not args.account_sid.strip():
        raise InputError("--account-sid is empty.", "Give the Account SID (AC...) or the SignalWire Project ID.")
    args.region = region_arg(args.region)
    # the one URL policy: refused when typed, not only when a lookup opens the session
    from sipsight.providers.url_policy import UnsafeUrl, check_base_url, check_host_option, check_space

    checks = [("--base-url", check_base_url, args.base_url)]
    checks += [(f"--{name}-host", check_host_option, getattr(args, f"{name}_host")) for name in _HOSTS]
    if args.provider == "signalwire":
        checks.append(("--space", check_space, args.space))
    for option, check, value in checks:
        try:
            check(value)
        except UnsafeUrl as err:
            raise InputError(
                f"{option} '{value or ''}' cannot be used: {err}.",
                "Use https:// (plain http:// only to this computer, e.g. http://127.0.0.1:8080).",
            ) from None


def _add(args: argparse.Namespace) -> int:
    from sipsight.settings import credentials
    from sipsight.settings.model import Hosts, Profile
    from sipsight.settings.store import save_profile

    _check_add_args(args)
    auth_mode = args.auth_mode or ("api_key" if args.api_key else "auth_token")
    if args.provider == "signalwire":
        auth_mode = "auth_token"
    try:
        profile = Profile(
            name=args.name,
            provider=args.provider,
            account_sid=args.account_sid.strip(),
            api_key_sid=args.api_key,
            auth_mode=auth_mode,
            space=args.space,
            hosts=Hosts(
                api=args.api_host, insights=args.insights_host, lookups=args.lookups_host, monitor=args.monitor_host
            ),
            base_url=args.base_url,
            subaccounts=args.subaccounts,
            default_region=args.region,
            timezone=args.timezone,
            line_type_lookup=args.line_type_lookup,
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InputError(f"The profile is not valid: {first['msg']}.", "See 'sipsight profile add --help'.") from None
    secret = _read_secret(args, profile.secret_field)
    try:
        save_profile(profile, activate=args.activate)
    except OSError as err:
        raise InputError(
            f"Cannot save the settings: {err.strerror or err} ({err.filename or 'settings folder'}).",
            "Check that SIPSIGHT_HOME (or the config folder) is a writable folder.",
        ) from None
    notice = credentials.set_secret(profile.name, profile.secret_field, secret)
    print(f"Saved profile '{profile.name}' ({profile.provider}, {profile.auth_mode}).")
    print(notice or "The secret is in the system keyring.")
    return 0


def _list(_args: argparse.Namespace) -> int:
    from sipsight.settings import credentials

    settings = _load_settings()
    if not settings.profiles:
        print("No profiles yet. Add one with 'sipsight profile add NAME --account-sid AC... --api-key SK...'.")
        return 0
    for p in settings.profiles:
        mark = "*" if p.name == settings.active_profile else " "
        stored = "secret stored" if credentials.get_secret(p.name, p.secret_field) else "no secret stored"
        where = p.base_url or p.space or p.hosts.api or "default hosts"
        sid = f"{p.account_sid[:2]}…{p.account_sid[-4:]}" if len(p.account_sid) > 8 else p.account_sid
        extra = ", all sub-accounts" if p.subaccounts == "all" else ""
        print(f"{mark} {p.name}: {p.provider} {sid} ({p.auth_mode}, {where}{extra}; {stored})")
    return 0


def _remove(args: argparse.Namespace) -> int:
    from sipsight.settings import credentials
    from sipsight.settings.store import remove_profile

    try:
        profile = remove_profile(args.name)
    except OSError as err:
        raise InputError(
            f"Cannot save the settings: {err.strerror or err} ({err.filename or 'settings folder'}).",
            "Check that SIPSIGHT_HOME (or the config folder) is a writable folder.",
        ) from None
    if profile is None:
        raise InputError(f"There is no profile named '{args.name}'.", "See 'sipsight profile list'.")
    credentials.delete_secret(profile.name, profile.secret_field)
    print(f"Removed profile '{args.name}' and its stored secret.")
    return 0


def _test(args: argparse.Namespace) -> int:
    from sipsight.providers.factory import open_provider

    with open_provider(profile=args.name) as session:
        print(f"{session.label}: {session.provider.check_connection()}")
    return 0


def _load_settings() -> Settings:
    from sipsight.settings.store import load_settings

    return load_settings()
