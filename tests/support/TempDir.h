// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench contributors
#pragma once

#include <QString>
#include <QTemporaryDir>

namespace tb::test {

// A fresh, writable directory under the system temp dir, removed with everything in it when the
// object dies. Use it for database files whenever WAL mode, reopening or read-only files are under
// test (":memory:" covers the rest). Set TB_KEEP_TEST_FILES=1 to keep it for inspection.
class TempDir final
{
public:
    TempDir();
    ~TempDir() = default;
    Q_DISABLE_COPY_MOVE(TempDir)

    [[nodiscard]] bool isValid() const;
    [[nodiscard]] QString path() const;
    // Absolute path of name inside the directory; the file itself is not created.
    [[nodiscard]] QString filePath(const QString& name) const;

private:
    QTemporaryDir m_dir;
};

} // namespace tb::test
