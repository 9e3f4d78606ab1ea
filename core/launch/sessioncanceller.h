// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "cancel/wrappercancel.h"

#include <QObject>
#include <QString>

namespace kw {

// The window's cancel: WrapperCancel's checks and signal (the same code as
// `keepwatch-cli cancel`), run on a pool thread, since they read /proc.
// Asynchronous: nothing waits, so the window stays responsive; finished()
// carries the one-line answer the CLI would print. Several cancels may run
// at once; a canceller destroyed meanwhile waits for them.
class SessionCanceller final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionCanceller)

public:
    explicit SessionCanceller(QObject *parent = nullptr);
    ~SessionCanceller() override;

    // `target`: WrapperCancel::target() of the session, taken from the store
    // on the caller's thread.
    void cancel(const WrapperCancel::Target &target);
    int pending() const { return m_pending; }

signals:
    // `message`: "cancel requested for session ID", or "cancel: " and why not.
    void finished(const QString &sessionId, bool ok, const QString &message);

private:
    int m_pending = 0;
};

} // namespace kw
