// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QString>

namespace kw {

struct SourceSetConfig;

// Cancels a wrapped session of a set of spools, named by its ID and the file
// it is read from, with every check of a local cancel (WrapperCancel, on
// the spools read whole, so that another session naming the same wrapper
// is seen): what an agent runs for a remote cancel request
// (CancelResponder). Empty when the wrapper was asked to stop, else why not.
namespace SpoolSessionCancel {
QString request(const SourceSetConfig &spools, const QString &sessionId, const QString &file);
} // namespace SpoolSessionCancel

} // namespace kw
