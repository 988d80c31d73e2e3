"""Desktop notifications through the freedesktop notification service, over D-Bus.

Used by ``recoverydesk remind`` (DESIGN.md §1.1), the windowless reminder that runs where the
desktop has no system tray (GNOME's default). It speaks the protocol of the Desktop
Notifications Specification directly with ``jeepney`` (pure Python, no Qt), so the background
process stays small and starts fast.

Only the two calls the reminder needs: ``Notify`` with one action ("Log today's pain"), and
waiting for ``ActionInvoked`` / ``NotificationClosed``.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Collection
from typing import Any

SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
INTERFACE = "org.freedesktop.Notifications"
DEFAULT_ACTION = "default"
"""The action a notification server invokes when the notification itself is clicked."""


class NotifyError(Exception):
    """No session bus, or no notification service on it."""


@dataclasses.dataclass(frozen=True, slots=True)
class Event:
    """What became of a notification: an action was chosen, or it was closed."""

    notification_id: int
    action: str | None  # None: closed without an action


class Notifier:
    """A connection to the session bus's notification service.

    Args:
        address: The bus address (tests pass their private bus); None for the session bus
            named by ``DBUS_SESSION_BUS_ADDRESS``.
    """

    def __init__(self, address: str | None = None) -> None:
        try:
            from jeepney import DBusAddress, MatchRule, message_bus
            from jeepney.io.blocking import open_dbus_connection
        except ImportError as error:  # not on Linux, or not installed
            raise NotifyError(f"D-Bus support is missing ({error})") from error
        try:
            self._conn = open_dbus_connection(bus=address or "SESSION")
        except (OSError, KeyError, ValueError) as error:
            raise NotifyError(f"no D-Bus session bus ({error})") from error
        self._address = DBusAddress(PATH, bus_name=SERVICE, interface=INTERFACE)
        self._filters: dict[str, Any] = {}
        for member in ("ActionInvoked", "NotificationClosed"):
            rule = MatchRule(type="signal", interface=INTERFACE, path=PATH, member=member)
            self._filters[member] = self._conn.filter(rule, bufsize=64)
            self._call(message_bus.AddMatch(rule))

    def _call(self, message: Any, timeout: float = 10.0) -> Any:
        from jeepney import MessageType

        try:
            reply = self._conn.send_and_get_reply(message, timeout=timeout)
        except (OSError, TimeoutError) as error:
            raise NotifyError(f"the D-Bus call failed ({error})") from error
        if reply.header.message_type == MessageType.error:
            raise NotifyError(f"the notification service said no: {reply.body}")
        return reply.body

    def available(self) -> bool:
        """Whether a notification service runs on the bus, or can be started by it."""
        from jeepney import message_bus

        try:
            if self._call(message_bus.NameHasOwner(SERVICE))[0]:
                return True
            return SERVICE in self._call(message_bus.ListActivatableNames())[0]
        except NotifyError:
            return False

    def notify(self, summary: str, body: str, *, app_name: str, icon: str = "",
               action_label: str | None = None, timeout_ms: int = -1) -> int:
        """Show a notification; its id. ``action_label`` adds the default (click) action."""
        from jeepney import new_method_call

        actions = [DEFAULT_ACTION, action_label] if action_label else []
        hints = {"desktop-entry": ("s", "io.github.recoverydesk.RecoveryDesk"),
                 "category": ("s", "reminder")}
        message = new_method_call(self._address, "Notify", "susssasa{sv}i",
                                  (app_name, 0, icon, summary, body, actions, hints, timeout_ms))
        return int(self._call(message)[0])

    def wait(self, ids: Collection[int], timeout: float) -> Event | None:
        """Wait up to ``timeout`` seconds for what becomes of one of the notifications ``ids``
        (a click, or a close); None if nothing happened to them in that time."""
        deadline = time.monotonic() + max(0.0, timeout)
        while True:
            for member, handle in self._filters.items():
                queue = handle.queue
                while queue:
                    message = queue.popleft()
                    notification_id = int(message.body[0])
                    if notification_id not in ids:
                        continue
                    if member == "ActionInvoked":
                        return Event(notification_id, str(message.body[1]))
                    return Event(notification_id, None)
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                self._conn.recv_messages(timeout=min(left, 1.0))
            except TimeoutError:
                pass

    def close(self) -> None:
        for handle in self._filters.values():
            handle.close()
        self._conn.close()
