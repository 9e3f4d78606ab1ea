#include "spool/spoolsnapshot.h"

#include "protocol/timestamp.h"
#include "spool/spoolsource.h"
#include "store/sessionstore.h"

namespace kw {

QList<SourceError> SpoolSnapshot::load(const QString &directory, SessionStore &store) {
    SpoolSource::Options options;
    options.livenessIntervalMs = 0; // every pass checks the producers it can
    SpoolSource source(directory, options);
    QList<SourceError> errors;
    do {
        EventBatch batch;
        source.poll(batch);
        errors.append(batch.errors);
        store.apply(batch);
    } while (source.hasPendingData());
    store.checkStalls(Timestamp::nowMs());
    return errors;
}

} // namespace kw
