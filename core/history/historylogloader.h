// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "store/session.h"
#include "store/storeseed.h"

#include <QObject>
#include <QSet>
#include <QString>
#include <memory>
#include <vector>

namespace kw {

// Reads a finished session's log lines from the history database on a pool
// thread (its own read-only connection), and hands them back on the
// loader's thread: opening a pane of a 500,000-line session never blocks
// the window.
class HistoryLogLoader final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryLogLoader)

public:
    using Lines = std::vector<StoreSeed::Line>;

    explicit HistoryLogLoader(QString databasePath, QObject *parent = nullptr);
    ~HistoryLogLoader() override;

    QString databasePath() const { return m_databasePath; }
    // Reads the newest `maxLines` lines of the session; one load per session
    // at a time (asking again while it runs does nothing).
    void load(const SessionKey &key, qint64 maxLines);
    bool isLoading(const SessionKey &key) const { return m_loading.contains(key); }

signals:
    void loaded(const kw::SessionKey &key,
                std::shared_ptr<const kw::HistoryLogLoader::Lines> lines);
    void failed(const kw::SessionKey &key, const QString &message);

private:
    void finish(const SessionKey &key, std::shared_ptr<const Lines> lines, const QString &error);

    QString m_databasePath;
    QSet<SessionKey> m_loading;
    // Pool tasks hold a weak reference: a loader destroyed meanwhile is not
    // called back.
    std::shared_ptr<HistoryLogLoader *> m_self;
};

} // namespace kw
