#pragma once

#include <QStringList>

namespace kw::cli {

// keepwatch-cli reindex [--database PATH]: rebuilds the history database
// from the spool, into a new file that replaces the old one only when done.
int reindexCommand(const QStringList &args);

} // namespace kw::cli
