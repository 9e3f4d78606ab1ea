// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QString>
#include <QStringList>

namespace kw::RemoteSpools {

// Where `keepwatch-cli collect` keeps its mirrors of other hosts' spools
// (docs/fleet.md): ROOT/<host>/<session>.jsonl, ROOT being
// STATE/remote ($XDG_STATE_HOME/keepwatch/remote by default; `collect
// --state-dir STATE` moves it).
QString root(const QString &stateDirectory);

// The hosts mirrored under `root`, sorted: its directories whose names are
// valid host names (FleetTopics::hostProblem); anything else is no host's.
QStringList hosts(const QString &root);

// The lock of the one process that writes the mirrors under `root` (the
// window or `keepwatch-cli collect`): two writers would corrupt them.
QString lockPath(const QString &root);

// The identity of a host's mirrors as a source (SessionSource::name):
// "remote:<host>". Not a spool identity: nothing here can cancel them.
QString identityFor(const QString &host);
// The host of such an identity; empty when it is none.
QString hostOfIdentity(const QString &identity);

} // namespace kw::RemoteSpools
