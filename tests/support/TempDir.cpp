// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench contributors

#include "TempDir.h"

#include <QDir>

namespace tb::test {

TempDir::TempDir()
    : m_dir(QDir::tempPath() + QStringLiteral("/threadbench-test-XXXXXX"))
{
    if (qEnvironmentVariableIntValue("TB_KEEP_TEST_FILES") != 0) {
        m_dir.setAutoRemove(false);
        qInfo("Keeping test files in %s", qPrintable(m_dir.path()));
    }
}

bool TempDir::isValid() const
{
    return m_dir.isValid();
}

QString TempDir::path() const
{
    return m_dir.path();
}

QString TempDir::filePath(const QString& name) const
{
    return m_dir.filePath(name);
}

} // namespace tb::test
