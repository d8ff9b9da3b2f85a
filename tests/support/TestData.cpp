// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench contributors

#include "TestData.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#ifndef TB_TEST_DATA_DIR
#error "TB_TEST_DATA_DIR must be defined by tests/CMakeLists.txt"
#endif

namespace tb::test {

namespace {

constexpr auto kWritable = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser
                           | QFileDevice::WriteUser | QFileDevice::ReadGroup | QFileDevice::ReadOther;

bool copyWritable(const QString& from, const QString& to)
{
    if (QFile::exists(to) && !QFile::remove(to)) {
        return false;
    }
    if (!QFile::copy(from, to)) {
        return false;
    }
    // QFile::copy keeps the source's permissions, which are read-only in some checkouts.
    return QFile::setPermissions(to, kWritable);
}

} // namespace

QString testDataDir()
{
    return QDir::cleanPath(QString::fromUtf8(TB_TEST_DATA_DIR));
}

QString sdkFixture(const QString& name)
{
    return QDir(testDataDir()).filePath(QStringLiteral("sdk/") + name);
}

QString copySdkFixture(const QString& name, const QString& dir)
{
    const QString source = sdkFixture(name);
    if (!QFileInfo::exists(source)) {
        return {};
    }
    const QString target = QDir(dir).absoluteFilePath(QFileInfo(name).fileName());
    if (!copyWritable(source, target)) {
        return {};
    }
    // The SDK fixtures are WAL-mode files, so opening one (even read-only) leaves -wal/-shm files
    // beside it. A non-empty -wal is part of the database and travels with the copy; -shm is only an
    // index that SQLite rebuilds from the -wal, and a stale one from an earlier copy must not survive.
    const QString wal = source + QStringLiteral("-wal");
    const QString targetWal = target + QStringLiteral("-wal");
    if (QFileInfo(wal).size() > 0) {
        if (!copyWritable(wal, targetWal)) {
            return {};
        }
    } else if (QFile::exists(targetWal)) {
        QFile::remove(targetWal);
    }
    const QString targetShm = target + QStringLiteral("-shm");
    if (QFile::exists(targetShm)) {
        QFile::remove(targetShm);
    }
    return target;
}

} // namespace tb::test
