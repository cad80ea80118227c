#!/usr/bin/env python3
"""A minimal Tender specialist in pure standard-library Python.

It implements docs/PROTOCOL.md from scratch: length-prefixed frames, a hand-written encoder and
decoder for the few protobuf fields it needs, the HMAC challenge-response handshake, heartbeats,
and the contract-net replies. It bids an ETA from a fixed service time and its load, and answers
every award with a one-step plan filled from the incident's entities.

    python3 examples/python_specialist.py --coordinator 127.0.0.1:7400 --kind security

It prints one JSON line per notable event on stdout ({"event": "connected", ...}); logs go to stderr.
"""
import argparse
import hashlib
import hmac
import json
import os
import select
import socket
import struct
import sys
import time

PROTOCOL_VERSION = 1
MAX_FRAME = 64 * 1024
DEVELOPMENT_KEY = b"tender-development-key-not-secret"  # used when --key-file is absent
REPLACED = "replaced by a newer session with the same name"

# Envelope body fields (proto/tender.proto).
HELLO, CHALLENGE, AUTHENTICATE, WELCOME, GOODBYE, HEARTBEAT = 1, 2, 3, 4, 5, 6
CFP, PROPOSE, REFUSE, ACCEPT, REJECT, INFORM_DONE, INFORM_RESULT, FAILURE, CANCEL = range(10, 19)
REFUSE_AT_CAPACITY, REFUSE_NOT_CAPABLE, REFUSE_NOT_ACTIONABLE = 1, 2, 4

# ---- protobuf, by hand: varints (wire type 0), doubles (1), length-delimited (2) ----------------


def varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def field_varint(number, value):
    return varint(number << 3 | 0) + varint(value) if value else b""


def field_double(number, value):
    return varint(number << 3 | 1) + struct.pack("<d", value) if value else b""


def field_bytes(number, value):
    if isinstance(value, str):
        value = value.encode()
    return varint(number << 3 | 2) + varint(len(value)) + value


def decode(data):
    """Parse one message into {field number: [values]}; bytes for wire type 2, ints for 0."""
    fields, i = {}, 0
    while i < len(data):
        key, i = read_varint(data, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = read_varint(data, i)
        elif wire == 1:
            value, i = struct.unpack_from("<d", data, i)[0], i + 8
        elif wire == 2:
            length, i = read_varint(data, i)
            value, i = data[i:i + length], i + length
        elif wire == 5:
            value, i = data[i:i + 4], i + 4
        else:
            raise ValueError("unsupported wire type %d" % wire)
        fields.setdefault(number, []).append(value)
    return fields


def read_varint(data, i):
    shift = result = 0
    while True:
        byte = data[i]
        i += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, i
        shift += 7


def first(fields, number, default=None):
    return fields.get(number, [default])[0]


def text(fields, number):
    return first(fields, number, b"").decode()


# ---- frames -----------------------------------------------------------------------------------


def envelope(body_field, body):
    payload = field_bytes(body_field, body)
    return struct.pack(">I", len(payload)) + payload


class Connection:
    def __init__(self, host, port):
        self.sock = socket.create_connection((host, port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def send(self, body_field, body):
        self.sock.sendall(envelope(body_field, body))

    def frames(self, timeout):
        """Frames that arrive within `timeout` seconds, as (body field, decoded body) pairs."""
        ready, _, _ = select.select([self.sock], [], [], timeout)
        if ready:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("coordinator closed the connection")
            self.buffer += chunk
        while len(self.buffer) >= 4:
            (length,) = struct.unpack_from(">I", self.buffer)
            if length == 0 or length > MAX_FRAME:
                raise ConnectionError("bad frame length %d" % length)
            if len(self.buffer) < 4 + length:
                break
            payload, self.buffer = self.buffer[4:4 + length], self.buffer[4 + length:]
            body = decode(payload)
            if len(body) != 1:
                raise ConnectionError("envelope without exactly one body")
            (number, values), = body.items()
            yield number, decode(values[0])


# ---- the specialist ---------------------------------------------------------------------------


def emit(**event):
    print(json.dumps(event, sort_keys=True), flush=True)


def log(message):
    print("python-specialist: " + message, file=sys.stderr, flush=True)


def handshake(conn, key, args):
    client_nonce = os.urandom(32)
    conn.send(HELLO, field_varint(1, PROTOCOL_VERSION) + field_bytes(2, args.name) + field_bytes(3, client_nonce))
    server_nonce = None
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for number, body in conn.frames(0.5):
            if number == CHALLENGE:
                server_nonce = first(body, 2, b"")
                mac = hmac.new(key, b"tender/1 client" + server_nonce + client_nonce + args.name.encode(), hashlib.sha256).digest()
                skills = {k: 0.05 for k in ("security", "performance", "network", "database")}
                skills[args.kind] = args.skill
                description = (field_bytes(1, args.kind) + field_varint(2, args.capacity)
                               + b"".join(field_double(3 + i, skills[k]) for i, k in enumerate(("security", "performance", "network", "database"))))
                conn.send(AUTHENTICATE, field_bytes(1, mac) + field_bytes(2, description))
            elif number == WELCOME and server_nonce is not None:
                expected = hmac.new(key, b"tender/1 server" + client_nonce + server_nonce, hashlib.sha256).digest()
                if not hmac.compare_digest(expected, first(body, 4, b"")):
                    raise ConnectionError("coordinator failed to prove the key")
                return first(body, 1, 0), first(body, 2, 1000) / 1000, first(body, 3, 3500) / 1000
            elif number == GOODBYE:
                emit(event="refused", reason=text(body, 1))
                sys.exit(2)
    raise ConnectionError("handshake timed out")


def ref_of(body):
    return first(body, 1, b"")  # the AuctionRef, still encoded: echoed back as is


def entities_of(cfp):
    entities = {}
    for raw in cfp.get(9, []):
        entity = decode(raw)
        if text(entity, 2):
            entities.setdefault(text(entity, 1), text(entity, 2))
    return entities


def missing_entity(cfp):
    """Why no plan can be built for this incident (the entity it lacks), or None."""
    entities = entities_of(cfp)
    if not (entities.get("ip") or entities.get("host") or text(cfp, 7)):
        return "python-isolate needs entity `ip`, `host` or `service`"
    return None


def plan_for(cfp):
    """A one-step plan with its parameter filled from the incident's entities."""
    entities = entities_of(cfp)
    target = entities.get("ip") or entities.get("host") or text(cfp, 7)
    kind = "ip" if "ip" in entities else "host" if "host" in entities else "service"
    parameter = field_bytes(1, "target") + field_bytes(2, kind) + field_bytes(3, target)
    step = field_bytes(1, "isolate") + field_bytes(2, parameter) + field_bytes(3, "low") + field_bytes(4, "release")
    return field_bytes(1, "python-isolate") + field_bytes(2, step) + field_bytes(3, "python-isolate: isolate " + target)


def serve(conn, args, heartbeat_interval, heartbeat_timeout):
    bids = {}       # encoded ref -> cfp body, for bids not yet decided
    load = 0
    last_heard = last_sent = time.monotonic()
    while True:
        now = time.monotonic()
        if now - last_sent >= heartbeat_interval:
            conn.send(HEARTBEAT, field_varint(1, int(now * 1000)))
            last_sent = now
        if now - last_heard > heartbeat_timeout:
            raise ConnectionError("coordinator silent past the heartbeat timeout")
        for number, body in conn.frames(min(heartbeat_interval, 0.2)):
            last_heard = time.monotonic()
            if number == CFP:
                ref = ref_of(body)
                if text(body, 2) != args.kind:
                    conn.send(REFUSE, field_bytes(1, ref) + field_varint(2, REFUSE_NOT_CAPABLE))
                elif missing_entity(body):
                    # Not actionable as reported: say so once, with the reason (PROTOCOL.md
                    # §2.2), instead of bidding and failing after the award.
                    conn.send(REFUSE, field_bytes(1, ref) + field_varint(2, REFUSE_NOT_ACTIONABLE)
                              + field_bytes(3, missing_entity(body)))
                elif load >= args.capacity:
                    conn.send(REFUSE, field_bytes(1, ref) + field_varint(2, REFUSE_AT_CAPACITY))
                else:
                    bids[ref] = body
                    eta = args.service_seconds * (1 + load / args.capacity) / args.skill
                    conn.send(PROPOSE, field_bytes(1, ref) + field_double(2, eta) + field_double(3, args.skill))
            elif number == ACCEPT:
                ref = ref_of(body)
                cfp = bids.pop(ref, None)
                if cfp is None:
                    conn.send(FAILURE, field_bytes(1, ref) + field_bytes(2, "no such proposal"))
                    continue
                # Analysis is instant here; a real agent would work and keep heartbeating.
                conn.send(INFORM_RESULT, field_bytes(1, ref) + field_bytes(2, plan_for(cfp)))
                emit(event="resolved", incident=first(decode(ref), 1, 0))
            elif number == REJECT:
                bids.pop(ref_of(body), None)
                reason = text(body, 2)
                if reason != "outbid":
                    emit(event="rejected", reason=reason)
            elif number == CANCEL:
                bids.pop(ref_of(body), None)
            elif number == GOODBYE:
                reason = text(body, 1)
                log("coordinator said goodbye: " + reason)
                if reason == REPLACED:
                    # Another process connected under this name (PROTOCOL.md §2.1): stop, do not
                    # reconnect, or the two would take the name from each other forever.
                    emit(event="refused", reason=reason)
                    sys.exit(2)
                return


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--coordinator", default="127.0.0.1:7400")
    parser.add_argument("--key-file")
    parser.add_argument("--name", default="python-specialist")
    parser.add_argument("--kind", default="security", choices=["security", "performance", "network", "database"])
    parser.add_argument("--capacity", type=int, default=4)
    parser.add_argument("--skill", type=float, default=0.9)
    parser.add_argument("--service-seconds", type=float, default=0.5)
    args = parser.parse_args()
    key = DEVELOPMENT_KEY
    if args.key_file:
        with open(args.key_file, "rb") as handle:
            key = handle.read().rstrip(b"\r\n")
    host, port = args.coordinator.rsplit(":", 1)
    conn = Connection(host, int(port))
    specialist_id, interval, timeout = handshake(conn, key, args)
    emit(event="connected", id=specialist_id, name=args.name)
    try:
        serve(conn, args, interval, timeout)
    except KeyboardInterrupt:
        conn.send(GOODBYE, field_bytes(1, "specialist stopping"))


if __name__ == "__main__":
    main()
