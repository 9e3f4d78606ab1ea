// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QString>

namespace kw {

// Where a producer (`keepwatch-cli run`, `log`) of user `uid` writes its
// sessions, from --spool:
//   ""        $KEEPWATCH_SPOOL if set; else the user's system spool directory
//             when root set one up (root, or a service user root granted);
//             else the private spool, with a note for root on how to let
//             group keepwatch watch its backups
//   "user"    the private spool ($KEEPWATCH_SPOOL or the state directory)
//   "system"  the user's system spool directory, or an error saying how to
//             set it up
//   a path    that directory (private files)
// The private spool needs a home: with $HOME unset it comes from the
// password database, and a home of "/" or none is an error, never "/.local".
struct SpoolTarget {
    QString directory;
    bool groupReadable = false; // the system spool: files 0640
    QString note;               // one line for stderr, or empty
    QString error;              // no directory: why

    bool isValid() const { return error.isEmpty(); }

    static SpoolTarget choose(const QString &request, uint uid);
    // The private spool alone ("user").
    static SpoolTarget privateSpool(uint uid);
};

} // namespace kw
