"""A stand-in for the desktop's notification service, for tests on a private session bus.

Run as ``python notification_server.py RECORD [click]``: it takes the name
org.freedesktop.Notifications, answers ``Notify`` with increasing ids and appends each call's
arguments to RECORD as one JSON line. With ``click`` it then clicks the notification (emits
``ActionInvoked`` with its first action) and closes it, as a runner would. It prints "ready"
once it owns the name.
"""

from __future__ import annotations

import json
import sys

from jeepney import DBusAddress, MessageType, message_bus, new_method_return, new_signal
from jeepney.io.blocking import open_dbus_connection

NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"


def main() -> int:
    record, click = sys.argv[1], "click" in sys.argv[2:]
    conn = open_dbus_connection(bus="SESSION")
    reply = conn.send_and_get_reply(message_bus.RequestName(NAME, 4))  # 4: do not queue
    if reply.body[0] != 1:
        print("name taken", flush=True)
        return 1
    me = DBusAddress(PATH, interface=NAME)
    print("ready", flush=True)
    last_id = 0
    while True:
        message = conn.receive()
        header = message.header
        if header.message_type != MessageType.method_call:
            continue
        member = header.fields.get(3)  # HeaderFields.member
        if member == "Notify":
            last_id += 1
            app, replaces, icon, summary, body, actions, hints, timeout = message.body
            with open(record, "a", encoding="utf-8") as out:
                out.write(json.dumps({"app": app, "replaces": replaces, "icon": icon,
                                      "summary": summary, "body": body, "actions": actions,
                                      "hints": {k: v[1] for k, v in hints.items()},
                                      "timeout": timeout, "signature": header.fields.get(8)})
                          + "\n")
            conn.send_message(new_method_return(message, "u", (last_id,)))
            if click and actions:
                conn.send_message(new_signal(me, "ActionInvoked", "us", (last_id, actions[0])))
                conn.send_message(new_signal(me, "NotificationClosed", "uu", (last_id, 2)))
        elif member == "GetServerInformation":
            conn.send_message(new_method_return(message, "ssss",
                                                ("stand-in", "tests", "1", "1.2")))
        else:
            conn.send_message(new_method_return(message))


if __name__ == "__main__":
    sys.exit(main())
