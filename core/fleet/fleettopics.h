// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QString>
#include <QStringView>

namespace kw::FleetTopics {

// The topics of many hosts through an MQTT broker (docs/fleet.md):
//
//   keepwatch/v1/<host>/status                  retained presence, last will
//   keepwatch/v1/<host>/sessions/<sid>/events   spool bytes, QoS 1
//   keepwatch/v1/<host>/sessions/<sid>/state    retained end offset
//   keepwatch/v1/<host>/cmd/replay              requests for a byte range
//   keepwatch/v1/<host>/cmd/cancel              remote cancel requests (RemoteCancel)
//   keepwatch/v1/<host>/cmd/probe               nobody's: may this client write commands?
//   keepwatch/v1/<host>/replies                 the agent's answers to cancel requests
//
// The host segment is who wrote the message (the broker's ACL lets a host
// write only under its own name): it is the only word on a message's host,
// never a field of its payload.

constexpr const char *kRoot = "keepwatch/v1";

// The Receive Maximum (MQTT v5) of agents and collectors alike: how many
// QoS 1 messages the broker may send before they are acknowledged.
// libmosquitto's default, 20, caps a collector of a hundred hosts at a
// round trip through its event loop per 20 chunks (measured: about 1 MiB/s,
// bench_fleet), and an agent asked for 500 replays at once at 20 + the
// broker's queue.
constexpr int kReceiveMaximum = 1000;

// Why `host` may not name a host in a topic, or empty. Host names are
// [a-z0-9][a-z0-9.-]{0,62}: Mosquitto's pattern ACLs substitute the
// username into topics and refuse '+' and '#' there but not '/', so a host
// named "a/b" could write under another host's name.
QString hostProblem(QStringView host);

// A session ID as a topic segment: '+', '#', '/' and '%' percent-encoded
// ('+' is valid in a session ID and refused in a publish topic).
QString escapeSessionId(QStringView sessionId);
// The reverse; empty (and `error` set) when the segment is not an escaped
// valid session ID.
QString unescapeSessionId(QStringView segment, QString *error = nullptr);

QString statusTopic(const QString &host);
QString eventsTopic(const QString &host, const QString &sessionId);
QString stateTopic(const QString &host, const QString &sessionId);
QString replayTopic(const QString &host);
QString cancelTopic(const QString &host);
QString probeTopic(const QString &host);
// The agent may write only under its own name (the ACL), so its answers go
// there, not to a topic the requester names.
QString repliesTopic(const QString &host);

// What the collecting side subscribes to (every host).
QString allEventsFilter();
QString allStatesFilter();
QString allStatusFilter();
QString allRepliesFilter();

// A topic taken apart. `problem` says why it is not one of ours (bad host,
// bad session ID, unknown shape), naming the topic.
struct Parsed {
    enum class Kind { Invalid, Status, Events, State, Replay, Cancel, Probe, Replies };
    Kind kind = Kind::Invalid;
    QString host;
    QString sessionId;
    QString problem;
};
Parsed parse(QStringView topic);

} // namespace kw::FleetTopics
