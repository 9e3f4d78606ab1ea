// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

// Runs a fuzz target over its corpus without libFuzzer, so the seeds and
// every regression input (a crash once found, then fixed) are checked by
// ctest in any build, g++ included. Arguments: files or directories.

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStringList>
#include <cstdint>
#include <cstdio>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv) {
    QStringList files;
    for (int i = 1; i < argc; ++i) {
        const QString path = QString::fromLocal8Bit(argv[i]);
        const QFileInfo info(path);
        if (info.isDir()) {
            const QStringList names = QDir(path).entryList(QDir::Files, QDir::Name);
            for (const QString &name : names)
                files.append(info.filePath() + QLatin1Char('/') + name);
        } else if (info.isFile()) {
            files.append(path);
        } else {
            std::fprintf(stderr, "replay: %s: no such file or directory\n", argv[i]);
            return 2;
        }
    }
    // An empty corpus would pass without testing anything.
    if (files.isEmpty()) {
        std::fprintf(stderr, "replay: no inputs (usage: %s FILE|DIR...)\n", argv[0]);
        return 2;
    }
    for (const QString &file : files) {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "replay: cannot read %s: %s\n", qPrintable(file),
                         qPrintable(f.errorString()));
            return 2;
        }
        const QByteArray data = f.readAll();
        // Named before it runs: when a target aborts, the last line says which input.
        std::fprintf(stderr, "replay: %s (%lld bytes)\n", qPrintable(file),
                     static_cast<long long>(data.size()));
        LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(data.constData()),
                               size_t(data.size()));
    }
    std::printf("replay: %lld inputs, no invariant broken\n", static_cast<long long>(files.size()));
    return 0;
}
