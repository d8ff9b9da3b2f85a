// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench contributors

// gtest main for tests of the non-GUI layers (core, storage, net, agent, cli): a QCoreApplication
// so event loops, QSignalSpy::wait() and QTimer work, and no GUI library is linked.

#include <QCoreApplication>
#include <QStandardPaths>

#include <gtest/gtest.h>

int main(int argc, char** argv)
{
    // Settings and data written by code under test go to ~/.qttest, never to the user's real files.
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("threadbench-tests"));
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
