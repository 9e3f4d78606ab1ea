// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "wrapper/wrappedcommand.h"

#include "protocol/sessionid.h"
#include "spool/spoollocation.h"
#include "wrapper/childrun.h"
#include "wrapper/sessionrecorder.h"

#include <QFileInfo>

namespace kw {

WrappedCommand::WrappedCommand(WrapOptions options)
    : m_options(std::move(options))
    , m_sessionId(m_options.sessionId.isEmpty() ? SessionId::generate() : m_options.sessionId) {}

WrappedCommand::~WrappedCommand() = default;

QString WrappedCommand::validate() const {
    if (m_options.command.isEmpty() || m_options.command.first().isEmpty())
        return QStringLiteral("no command given (usage: keepwatch-cli run [options] -- COMMAND "
                              "[ARGS...])");
    if (QString why = SessionId::validationError(m_sessionId); !why.isEmpty())
        return why;
    // A given ID must be new: appending a second run to an old session's
    // file would merge two sessions into one.
    const QString file = SpoolLocation::fileForSession(m_options.spoolDirectory, m_sessionId);
    if (!m_options.sessionId.isEmpty() && !m_options.spoolDirectory.isEmpty()
        && QFileInfo::exists(file))
        return QStringLiteral("session ID %1 is already in use (%2)")
            .arg(SessionId::quoted(m_sessionId), file);
    return {};
}

int WrappedCommand::run() {
    SessionRecorder recorder(m_options, m_sessionId);
    return runChild(m_options, recorder);
}

} // namespace kw
