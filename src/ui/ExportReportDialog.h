// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/PriceTable.h"
#include "core/Result.h"
#include "core/SessionStore.h"
#include "core/UsageReport.h"

#include <QDialog>
#include <QStringList>

#include <functional>
#include <memory>

namespace Ui {
class ExportReportDialog;
}

namespace tb::ui {

/// File → Export Usage Report: what to report on (this session, this branch, the selected
/// sessions, the whole file or folder), a date range, pricing (price table, default model, one
/// model for every turn, a what-if model), the format and the file. Export runs the exporter with
/// a progress bar and Cancel while the window stays alive; errors show in the dialog, and at the
/// end the written path with "Open Folder".
///
/// The work is an injected Exporter, so the window decides how reports are built; reportExporter()
/// is the real one (UsageReportBuilder and the report writers).
class ExportReportDialog final : public QDialog
{
    Q_OBJECT

public:
    enum class Scope { Session, Branch, Selected, Workspace };
    enum class Format { Csv, Json, Markdown, Html, Pdf };

    /// What the window knows when it opens the dialog.
    struct Context
    {
        QString sessionId;              // the shown session ("" when none)
        QString branchId;               // its shown branch
        QStringList selectedSessions;   // sessions selected in the list
        QString directory;              // where the file goes by default
        core::PriceTable prices = core::PriceTable::defaults();
        QString defaultModel;
    };

    /// What the user chose: a report scope for UsageReportBuilder plus the format and file.
    struct Options
    {
        Scope scope = Scope::Workspace;
        Format format = Format::Csv;
        QString path;
        core::UsageScope report;        // sessions, branch, dates and pricing filled in
    };

    /// Builds and writes the report; `progress` returning false means cancel (then the exporter
    /// returns Error::Code::Cancelled and leaves no file behind).
    using Exporter = std::function<core::Result<void>(const Options& options, const core::ReportProgress& progress)>;

    ExportReportDialog(const Context& context, Exporter exporter, QWidget* parent = nullptr);
    ~ExportReportDialog() override;

    /// The real exporter on a store (a file or a workspace): build with UsageReportBuilder, then
    /// CSV/JSON/Markdown/HTML (written whole with QSaveFile) or PDF (PdfReportWriter beside the
    /// file, renamed at the end). Build is the first 80% of the progress (60% for PDF).
    static Exporter reportExporter(core::SessionStore& store);

    /// File suffix of a format ("csv", "json", "md", "html", "pdf").
    static QString suffix(Format format);

    [[nodiscard]] Options options() const;
    void setScope(Scope scope);
    void setFormat(Format format);
    void setPath(const QString& path);
    void setRange(const QDate& from, const QDate& to);
    /// Price with a table loaded from a JSON file instead of the context's.
    core::Result<void> loadPrices(const QString& path);

    /// Runs the export (what the Export button does); true when the file was written.
    bool exportReport();
    /// Asks a running export to stop (what Cancel does while it runs).
    void cancel();
    [[nodiscard]] bool isRunning() const { return m_running; }
    [[nodiscard]] QString writtenPath() const { return m_written; }
    [[nodiscard]] QString statusText() const;

    void reject() override;

Q_SIGNALS:
    /// After a file was written.
    void reportWritten(const QString& path);

private:
    void setRunning(bool running);
    void showStatus(const QString& text, bool error);
    void updateScopeText();
    void formatChanged();
    void chooseFile();
    void choosePrices();
    void openFolder();
    [[nodiscard]] std::optional<QString> problem() const;

    std::unique_ptr<Ui::ExportReportDialog> m_ui;
    Context m_context;
    Exporter m_exporter;
    core::PriceTable m_prices;
    QString m_pricesSource;
    QString m_written;
    bool m_running = false;
    bool m_cancelRequested = false;
};

} // namespace tb::ui
