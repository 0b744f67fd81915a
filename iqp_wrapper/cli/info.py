"""``iqp backends``, ``iqp usage`` and ``iqp versions``: what the instance and the API offer."""

from __future__ import annotations

import argparse

from iqp_api.api.versions import get_versions
from iqp_api.api_version import API_VERSION
from iqp_api.models.backend_names_response import BackendNamesResponse
from iqp_api.models.backends_response_devices_item import BackendsResponseDevicesItem
from iqp_api.models.list_backends_fields import ListBackendsFields
from iqp_api.types import UNSET, Unset
from iqp_wrapper.config.settings import DEFAULT_API_VERSION, ENV_API_VERSION
from iqp_wrapper.responses import unwrap

from . import connection, exits
from .output import pairs, seconds, table, text, to_json
from .world import World


def backends(args: argparse.Namespace, world: World) -> int:
    """List the backends the instance may use.

    Any API version: before 2025-01-01 the service lists names only, and so does this."""
    fields = ListBackendsFields.WAIT_TIME_SECONDS if args.wait_times else UNSET
    with connection.client(args, world) as client:
        version = client.settings.api_version if client.settings else API_VERSION
        found = client.backends.list(fields=fields, api_version=version)
    if isinstance(found, BackendNamesResponse):
        return _names(args, world, found.devices)
    if connection.wants_json(args):
        world.out(to_json([device.to_dict() for device in found.devices]))
        return exits.OK
    if not found.devices:
        world.out("No backends are available to this instance.")
        return exits.OK
    rows = [_backend_row(device) for device in found.devices]
    world.out(table(("NAME", "STATUS", "QUBITS", "QUEUE", "PROCESSOR", "CLOPS"), rows))
    return exits.OK


def _names(args: argparse.Namespace, world: World, names: list[str]) -> int:
    if connection.wants_json(args):
        world.out(to_json([{"name": name} for name in names]))
    elif not names:
        world.out("No backends are available to this instance.")
    else:
        world.out(table(("NAME",), [[name] for name in names]))
        world.err("(names only: the API version in use lists no details; 2025-01-01 and later do)")
    return exits.OK


def _backend_row(device: BackendsResponseDevicesItem) -> list[str]:
    status = text(device.status.name)
    reason = device.status.reason
    if isinstance(reason, str) and reason:
        status += f" ({reason})"
    clops = device.clops
    return [
        device.name,
        status,
        text(device.qubits),
        str(device.queue_length),
        _processor(device),
        text(None if clops is None or isinstance(clops, Unset) else clops.value),
    ]


def _processor(device: BackendsResponseDevicesItem) -> str:
    processor = device.processor_type
    if processor is None or isinstance(processor, Unset):
        return text(None)
    family = processor.family if isinstance(processor.family, str) else ""
    revision = processor.revision if isinstance(processor.revision, str) else ""
    return text(f"{family} r{revision}" if family and revision else family)


def usage(args: argparse.Namespace, world: World) -> int:
    """Show the instance's usage in the current period."""
    with connection.client(args, world) as client:
        found = client.instances.get_usage()
    if connection.wants_json(args):
        world.out(to_json(found.to_dict()))
        return exits.OK
    period = found.usage_period
    start = None if isinstance(period, Unset) else period.start_time
    end = None if isinstance(period, Unset) else period.end_time
    limit = found.usage_limit_seconds
    rows = [
        ("instance", found.instance_id),
        ("plan", found.plan_id),
        ("period", f"{text(start)} to {text(end)}"),
        ("used", seconds(found.usage_consumed_seconds)),
        ("limit", "none" if isinstance(limit, Unset) else seconds(limit)),
    ]
    if not isinstance(found.usage_allocation_seconds, Unset):
        rows.append(("allocation", seconds(found.usage_allocation_seconds)))
    if not isinstance(found.usage_limit_reached, Unset):
        rows.append(("limit reached", "yes" if found.usage_limit_reached else "no"))
    world.out(pairs(rows))
    return exits.OK


def versions(args: argparse.Namespace, world: World) -> int:
    """List the API versions and their status; needs neither key nor CRN."""
    with connection.public_client(args, world) as client:
        # The one call without a token: a plain client, so no namespace; the same decision.
        found = unwrap(get_versions.sync_detailed(client=client))
    if connection.wants_json(args):
        world.out(to_json(found.to_dict()))
        return exits.OK
    chosen = (
        connection.option(args, "api_version") or world.environ.get(ENV_API_VERSION) or DEFAULT_API_VERSION
    )
    rows = []
    for info in found.versions:
        version = info.version.isoformat()
        rows.append(
            [version, text(info.status), text(info.sunset_date), "<- used" if version == chosen else ""]
        )
    world.out(table(("VERSION", "STATUS", "SUNSET", ""), rows))
    return exits.OK
