#!/usr/bin/env python3
"""A real Socket.IO client (python3-socketio, what gazu uses) for the event-stream tests.

Connects to URL's /events namespace (long-polling first, then the WebSocket upgrade, unless
--transport says otherwise) with the token as gazu sends it (Authorization header), prints
"connected <transport>" or "refused", then one line per event received: "<name> <json data>",
until --count events arrived, the server disconnected it ("disconnected") or --timeout seconds
passed. With --join PLAYLIST it enters that
review room first and prints the room's messages too."""
import argparse
import json
import os
import sys
import threading

import socketio


SAYING = threading.Lock()  # the client runs handlers on several threads: one line at a time


def say(*words):
    """Prints a line; the test may have stopped reading (then the line is dropped)."""
    with SAYING:
        try:
            print(*words, flush=True)
        except BrokenPipeError:
            pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", default="")
    parser.add_argument("--count", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=20)
    parser.add_argument("--transport", default="polling,websocket")
    parser.add_argument("--join", default="")
    parser.add_argument("--emit", default="", help="event name to emit into the joined room, with --emit-data")
    parser.add_argument("--emit-data", default="{}")
    parser.add_argument("--wait", type=float, default=10, help="seconds connect() waits for the namespace")
    args = parser.parse_args()

    received = []
    done = threading.Event()
    client = socketio.Client(reconnection=False)

    def on_any(event, data=None):
        received.append(event)
        say(event, json.dumps(data, sort_keys=True))
        if len(received) >= args.count:
            done.set()

    client.on("*", on_any, namespace="/events")

    leaving = threading.Event()  # set when this client disconnects itself

    def on_disconnect(*_reason):
        if not leaving.is_set():
            say("disconnected")
            done.set()

    client.on("disconnect", on_disconnect, namespace="/events")
    headers = {"Authorization": "Bearer " + args.token} if args.token else {}
    try:
        client.connect(args.url, headers=headers, namespaces=["/events"],
                       transports=args.transport.split(","), wait_timeout=args.wait)
    except socketio.exceptions.ConnectionError as error:
        say("refused", error)
        client.disconnect()
        return 0
    say("connected", client.transport())
    if args.join:
        client.emit("preview-room:join", {"playlist_id": args.join, "current_frame": 12}, namespace="/events")
    if args.emit:
        client.emit(args.emit, json.loads(args.emit_data), namespace="/events")
    done.wait(args.timeout)
    transport = client.transport()
    leaving.set()
    client.disconnect()
    say("transport", transport)
    say("done", len(received))
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)  # the client's background threads are done with; do not wait on them
