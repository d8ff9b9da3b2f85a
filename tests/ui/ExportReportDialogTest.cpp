// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// ExportReportDialog: options from the form, a fake exporter driven through progress, Cancel and
// Escape while it runs, errors, and the real exporter on the SDK's multi.db in every format.
#include "TempDir.h"
#include "TestData.h"

#include "core/Json.h"
#include "storage/SqliteSessionStore.h"
#include "ui/ExportReportDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QTest>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;
using tb::ui::ExportReportDialog;

namespace {

using Options = ExportReportDialog::Options;
using Scope = ExportReportDialog::Scope;
using Format = ExportReportDialog::Format;

ExportReportDialog::Context context(const QString& dir)
{
    ExportReportDialog::Context c;
    c.sessionId = u"customer-1001"_s;
    c.branchId = u"alt-1"_s;
    c.selectedSessions = {u"customer-1001"_s, u"customer-1004"_s};
    c.directory = dir;
    c.defaultModel = u"gpt-4.1-mini"_s;
    return c;
}

template <typename T>
T* child(QWidget& w, const char* name)
{
    T* c = w.findChild<T*>(QString::fromLatin1(name));
    EXPECT_NE(c, nullptr) << name;
    return c;
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

TEST(ExportReportDialog, OptionsFollowTheForm)
{
    tb::test::TempDir dir;
    ExportReportDialog dialog(context(dir.path()), {});
    Options o = dialog.options();
    EXPECT_EQ(o.scope, Scope::Session);
    EXPECT_EQ(o.report.sessionIds, QStringList{u"customer-1001"_s});
    EXPECT_FALSE(o.report.branchId.has_value());
    EXPECT_EQ(o.format, Format::Csv);
    EXPECT_EQ(o.path, dir.filePath(u"customer-1001-usage.csv"_s));
    EXPECT_FALSE(o.report.from.isValid());
    EXPECT_EQ(o.report.pricing.defaultModel, u"gpt-4.1-mini"_s);
    EXPECT_TRUE(o.report.pricing.overrideModel.isEmpty());
    EXPECT_TRUE(o.report.pricing.whatIfModel.isEmpty());

    dialog.setScope(Scope::Branch);
    o = dialog.options();
    EXPECT_EQ(o.report.sessionIds, QStringList{u"customer-1001"_s});
    EXPECT_EQ(o.report.branchId, u"alt-1"_s);
    dialog.setScope(Scope::Selected);
    EXPECT_EQ(dialog.options().report.sessionIds, (QStringList{u"customer-1001"_s, u"customer-1004"_s}));
    dialog.setScope(Scope::Workspace);
    EXPECT_TRUE(dialog.options().report.sessionIds.isEmpty());

    dialog.setRange(QDate(2026, 1, 1), QDate(2026, 1, 31));
    EXPECT_EQ(dialog.options().report.from, QDate(2026, 1, 1));
    EXPECT_EQ(dialog.options().report.to, QDate(2026, 1, 31));
    child<QCheckBox>(dialog, "rangeCheck")->setChecked(false);
    EXPECT_FALSE(dialog.options().report.from.isValid());

    // The file's suffix follows the format.
    auto* format = child<QComboBox>(dialog, "formatCombo");
    format->setCurrentIndex(format->findData(int(Format::Pdf)));
    EXPECT_EQ(dialog.options().format, Format::Pdf);
    EXPECT_EQ(dialog.options().path, dir.filePath(u"customer-1001-usage.pdf"_s));

    child<QComboBox>(dialog, "compareCombo")->setCurrentText(u"gpt-5-mini"_s);
    child<QComboBox>(dialog, "overrideCombo")->setCurrentText(u"o3"_s);
    EXPECT_EQ(dialog.options().report.pricing.whatIfModel, u"gpt-5-mini"_s);
    EXPECT_EQ(dialog.options().report.pricing.overrideModel, u"o3"_s);
}

TEST(ExportReportDialog, ScopesWithoutASessionAreDisabled)
{
    ExportReportDialog dialog(ExportReportDialog::Context{}, {});
    EXPECT_FALSE(child<QRadioButton>(dialog, "sessionRadio")->isEnabled());
    EXPECT_FALSE(child<QRadioButton>(dialog, "branchRadio")->isEnabled());
    EXPECT_FALSE(child<QRadioButton>(dialog, "selectedRadio")->isEnabled());
    EXPECT_TRUE(child<QRadioButton>(dialog, "workspaceRadio")->isChecked());
    EXPECT_EQ(dialog.options().scope, Scope::Workspace);
}

class ExportReportDialogRun : public ::testing::Test
{
protected:
    tb::test::TempDir dir;
};

TEST_F(ExportReportDialogRun, FakeExporterReportsProgressAndThePathWritten)
{
    QList<int> seen;
    bool exportEnabledWhileRunning = true;
    QString cancelTextWhileRunning;
    ExportReportDialog* self = nullptr;
    ExportReportDialog dialog(context(dir.path()), [&](const Options& o, const tb::core::ReportProgress& progress) {
        auto* bar = child<QProgressBar>(*self, "progressBar");
        exportEnabledWhileRunning = child<QPushButton>(*self, "exportButton")->isEnabled();
        cancelTextWhileRunning = child<QPushButton>(*self, "cancelButton")->text();
        for (qint64 i = 0; i <= 4; ++i) {
            if (!progress(i, 4))
                return tb::core::Result<void>(tb::core::Error::make(tb::core::Error::Code::Cancelled, u"cancelled"_s));
            seen << bar->value() * 100 / bar->maximum();
        }
        QFile f(o.path);
        EXPECT_TRUE(f.open(QIODevice::WriteOnly));
        f.write("report");
        return tb::core::Result<void>();
    });
    self = &dialog;
    dialog.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&dialog));
    QSignalSpy written(&dialog, &ExportReportDialog::reportWritten);
    QTest::mouseClick(child<QPushButton>(dialog, "exportButton"), Qt::LeftButton);
    EXPECT_EQ(seen, (QList<int>{0, 25, 50, 75, 100}));
    EXPECT_FALSE(exportEnabledWhileRunning);
    EXPECT_EQ(cancelTextWhileRunning, u"Cancel"_s);
    const QString path = dir.filePath(u"customer-1001-usage.csv"_s);
    EXPECT_EQ(dialog.writtenPath(), path);
    ASSERT_EQ(written.count(), 1);
    EXPECT_EQ(written.at(0).at(0).toString(), path);
    EXPECT_TRUE(dialog.statusText().startsWith(u"Wrote "_s)) << qPrintable(dialog.statusText());
    EXPECT_TRUE(child<QPushButton>(dialog, "openFolderButton")->isVisible());
    EXPECT_TRUE(child<QPushButton>(dialog, "exportButton")->isEnabled());
    EXPECT_EQ(child<QPushButton>(dialog, "cancelButton")->text(), u"Close"_s);
    EXPECT_EQ(readAll(path), QByteArray("report"));
}

TEST_F(ExportReportDialogRun, CancelButtonStopsTheExporter)
{
    int calls = 0;
    ExportReportDialog* self = nullptr;
    ExportReportDialog dialog(context(dir.path()), [&](const Options&, const tb::core::ReportProgress& progress) {
        for (qint64 i = 0; i < 100; ++i) {
            if (i == 3) // the user clicks Cancel; the click is delivered in the next progress call
                QMetaObject::invokeMethod(child<QPushButton>(*self, "cancelButton"), "click", Qt::QueuedConnection);
            ++calls;
            if (!progress(i, 100))
                return tb::core::Result<void>(tb::core::Error::make(tb::core::Error::Code::Cancelled, u"cancelled"_s));
        }
        return tb::core::Result<void>();
    });
    self = &dialog;
    dialog.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&dialog));
    EXPECT_FALSE(dialog.exportReport());
    EXPECT_EQ(calls, 4);
    EXPECT_TRUE(dialog.writtenPath().isEmpty());
    EXPECT_EQ(dialog.statusText(), u"Cancelled: no file was written."_s);
    EXPECT_FALSE(dialog.isRunning());
    EXPECT_TRUE(dialog.isVisible());
    EXPECT_FALSE(child<QPushButton>(dialog, "openFolderButton")->isVisible());
}

TEST_F(ExportReportDialogRun, EscapeWhileExportingCancelsInsteadOfClosing)
{
    ExportReportDialog* self = nullptr;
    ExportReportDialog dialog(context(dir.path()), [&](const Options&, const tb::core::ReportProgress& progress) {
        QTest::keyClick(self, Qt::Key_Escape);
        return progress(1, 2) ? tb::core::Result<void>()
                              : tb::core::Result<void>(tb::core::Error::make(tb::core::Error::Code::Cancelled, u"x"_s));
    });
    self = &dialog;
    dialog.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&dialog));
    EXPECT_FALSE(dialog.exportReport());
    EXPECT_TRUE(dialog.isVisible());
    EXPECT_EQ(dialog.statusText(), u"Cancelled: no file was written."_s);
    // Not running any more: Escape closes.
    QTest::keyClick(&dialog, Qt::Key_Escape);
    EXPECT_FALSE(dialog.isVisible());
}

TEST_F(ExportReportDialogRun, ErrorsShowInTheDialog)
{
    int calls = 0;
    ExportReportDialog dialog(context(dir.path()), [&](const Options&, const tb::core::ReportProgress&) {
        ++calls;
        return tb::core::Result<void>(tb::core::Error::make(tb::core::Error::Code::Storage, u"disk full"_s));
    });
    EXPECT_FALSE(dialog.exportReport());
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(dialog.statusText(), u"The report could not be written: disk full"_s);
    EXPECT_TRUE(dialog.writtenPath().isEmpty());

    dialog.setPath(QString());
    EXPECT_FALSE(dialog.exportReport());
    EXPECT_EQ(dialog.statusText(), u"Choose the file to write."_s);
    dialog.setPath(dir.filePath(u"missing/report.csv"_s));
    EXPECT_FALSE(dialog.exportReport());
    EXPECT_TRUE(dialog.statusText().startsWith(u"The folder "_s)) << qPrintable(dialog.statusText());
    dialog.setPath(dir.filePath(u"report.csv"_s));
    dialog.setRange(QDate(2026, 2, 1), QDate(2026, 1, 1));
    EXPECT_FALSE(dialog.exportReport());
    EXPECT_EQ(dialog.statusText(), u"The date range starts after it ends."_s);
    EXPECT_EQ(calls, 1); // none of the refused exports ran
}

class ExportReportDialogReal : public ::testing::Test
{
protected:
    void SetUp() override
    {
        db = tb::test::copySdkFixture(u"multi.db"_s, dir.path());
        ASSERT_FALSE(db.isEmpty());
        auto opened = tb::storage::SqliteSessionStore::open(db, {true, false});
        ASSERT_TRUE(opened.has_value()) << qPrintable(opened.error().message);
        store = std::move(*opened);
    }

    tb::test::TempDir dir;
    QString db;
    std::unique_ptr<tb::storage::SqliteSessionStore> store;
};

TEST_F(ExportReportDialogReal, WritesEveryFormat)
{
    ExportReportDialog dialog(context(dir.path()), ExportReportDialog::reportExporter(*store));
    dialog.setScope(Scope::Workspace);

    dialog.setFormat(Format::Csv);
    ASSERT_TRUE(dialog.exportReport()) << qPrintable(dialog.statusText());
    const QByteArray csv = readAll(dialog.writtenPath());
    EXPECT_TRUE(csv.contains("customer-1049")) << csv.left(300).constData();

    dialog.setFormat(Format::Json);
    ASSERT_TRUE(dialog.exportReport()) << qPrintable(dialog.statusText());
    auto json = tb::core::Json::parse(readAll(dialog.writtenPath()));
    ASSERT_TRUE(json.has_value());
    ASSERT_NE(json->find(u"format"), nullptr);
    EXPECT_EQ(json->find(u"format")->toString(), u"threadbench-usage-report/1"_s);

    dialog.setFormat(Format::Markdown);
    ASSERT_TRUE(dialog.exportReport()) << qPrintable(dialog.statusText());
    EXPECT_TRUE(dialog.writtenPath().endsWith(u".md"_s));
    EXPECT_TRUE(readAll(dialog.writtenPath()).contains("customer-1001"));

    dialog.setScope(Scope::Session);
    dialog.setFormat(Format::Html);
    ASSERT_TRUE(dialog.exportReport()) << qPrintable(dialog.statusText());
    const QByteArray html = readAll(dialog.writtenPath());
    EXPECT_TRUE(html.contains("data:image/png;base64,")); // charts embedded
    EXPECT_FALSE(html.contains("customer-1049"));         // one session only

    dialog.setFormat(Format::Pdf);
    ASSERT_TRUE(dialog.exportReport()) << qPrintable(dialog.statusText());
    EXPECT_TRUE(readAll(dialog.writtenPath()).startsWith("%PDF"));
    EXPECT_FALSE(QFile::exists(dialog.writtenPath() + u".part"_s));
}

TEST_F(ExportReportDialogReal, CancelLeavesNoFile)
{
    const QString path = dir.filePath(u"cancelled.pdf"_s);
    const ExportReportDialog::Exporter real = ExportReportDialog::reportExporter(*store);
    ExportReportDialog dialog(context(dir.path()), [&](const Options& o, const tb::core::ReportProgress& progress) {
        int calls = 0;
        // Cancel as soon as the report is built, while the PDF is being written.
        return real(o, [&](qint64 done, qint64 total) { return ++calls < 2 || done * 100 < total * 60 ? progress(done, total) : false; });
    });
    dialog.setScope(Scope::Workspace);
    dialog.setFormat(Format::Pdf);
    dialog.setPath(path);
    EXPECT_FALSE(dialog.exportReport());
    EXPECT_EQ(dialog.statusText(), u"Cancelled: no file was written."_s);
    EXPECT_FALSE(QFile::exists(path));
    EXPECT_FALSE(QFile::exists(path + u".part"_s));
}

} // namespace

namespace {

// Not a check: TB_SCREENSHOT_DIR=/some/dir writes the dialog after an export for a visual look.
TEST_F(ExportReportDialogReal, Screenshot)
{
    // Writes the README pictures into TB_SCREENSHOT_DIR when set; otherwise into a temporary
    // folder, so the rendering and saving are exercised on every run.
    tb::test::TempDir screenshotTemp;
    const QString out = qEnvironmentVariable("TB_SCREENSHOT_DIR").isEmpty() ? screenshotTemp.path()
                                                                      : qEnvironmentVariable("TB_SCREENSHOT_DIR");
    ExportReportDialog dialog(context(dir.path()), ExportReportDialog::reportExporter(*store));
    dialog.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&dialog));
    ASSERT_TRUE(dialog.exportReport());
    EXPECT_TRUE(dialog.grab().save(out + u"/export.png"_s));
}

} // namespace
