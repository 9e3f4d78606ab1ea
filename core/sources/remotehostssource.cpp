// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "sources/remotehostssource.h"

#include "fleet/remotespools.h"
#include "spool/spoollocation.h"
#include "spool/spoolsource.h"

#include <algorithm>

namespace kw {

RemoteHostsSource::RemoteHostsSource(QString root, MakeSource make, qint64 maxBytesPerPoll)
    : m_root(std::move(root))
    , m_make(std::move(make))
    , m_maxBytesPerPoll(maxBytesPerPoll) {}

RemoteHostsSource::~RemoteHostsSource() {
    for (auto &[host, source] : m_hosts)
        source->setWakeUp({});
}

void RemoteHostsSource::addNewHosts() {
    // One directory listing per poll: a handful of entries, one per host.
    for (const QString &host : RemoteSpools::hosts(m_root)) {
        if (m_hosts.count(host))
            continue;
        std::unique_ptr<SpoolSource> source = m_make(host);
        source->resume(m_resumeFrom); // it takes its own directory's
        for (const Session &session : std::as_const(m_unfinished)) {
            if (session.key.source == source->name())
                source->watchProducer(
                    session.key.id,
                    SpoolLocation::fileForSession(source->directory(), session.key.id),
                    session.producerPid.value_or(0), 0, {});
        }
        source->setWakeUp([this] { requestPoll(); });
        m_hosts.emplace(host, std::move(source));
    }
}

void RemoteHostsSource::poll(EventBatch &out) {
    addNewHosts();
    std::vector<SpoolSource *> hosts;
    hosts.reserve(m_hosts.size());
    for (auto &[host, source] : m_hosts)
        hosts.push_back(source.get());
    m_pending = m_budget.poll(hosts, m_maxBytesPerPoll, out);
}

QStringList RemoteHostsSource::watchPaths() const {
    QStringList paths{m_root}; // a new host's directory appears here
    for (const auto &[host, source] : m_hosts)
        paths << source->watchPaths();
    return paths;
}

QHash<QString, SpoolTailer::Position> RemoteHostsSource::positions() const {
    QHash<QString, SpoolTailer::Position> all;
    for (const auto &[host, source] : m_hosts)
        all.insert(source->positions());
    return all;
}

void RemoteHostsSource::resume(const QHash<QString, SpoolTailer::Position> &positions,
                               const QList<Session> &known) {
    m_resumeFrom = positions;
    for (const Session &session : known) {
        if (isActive(session.state) && !RemoteSpools::hostOfIdentity(session.key.source).isEmpty())
            m_unfinished.append(session);
    }
}

bool RemoteHostsSource::hasPendingData() const {
    return m_pending;
}

} // namespace kw
