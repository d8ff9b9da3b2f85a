// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "ExportReportDialog.h"

#include "PdfReportWriter.h"

#include "core/CsvReportWriter.h"
#include "core/HtmlReportWriter.h"
#include "core/JsonReportWriter.h"
#include "core/MarkdownReportWriter.h"

#include "ui_ExportReportDialog.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDesktopServices>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QLineEdit>
#include <QSaveFile>
#include <QUrl>

namespace tb::ui {

namespace {

constexpr int kProgressSteps = 1000;

// A progress callback that maps a stage's done/total into [from, from + share] percent of the whole.
core::ReportProgress stage(const core::ReportProgress& whole, int from, int share)
{
    return [whole, from, share](qint64 done, qint64 total) {
        if (!whole)
            return true;
        const qint64 part = total > 0 ? std::clamp<qint64>(done, 0, total) * share * 10 / total : 0;
        return whole(qint64(from) * 10 + part, kProgressSteps);
    };
}

void fillModels(QComboBox* combo, const QStringList& models, const QString& current)
{
    const QSignalBlocker block(combo);
    combo->clear();
    combo->addItem(QString());
    combo->addItems(models);
    combo->setCurrentText(current);
}

} // namespace

ExportReportDialog::ExportReportDialog(const Context& context, Exporter exporter, QWidget* parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::ExportReportDialog>())
    , m_context(context)
    , m_exporter(std::move(exporter))
    , m_prices(context.prices)
{
    m_ui->setupUi(this);
    const bool hasSession = !context.sessionId.isEmpty();
    m_ui->sessionRadio->setEnabled(hasSession);
    m_ui->branchRadio->setEnabled(hasSession && !context.branchId.isEmpty());
    m_ui->selectedRadio->setEnabled(!context.selectedSessions.isEmpty());
    if (hasSession) {
        m_ui->sessionRadio->setText(tr("This &session (%1)").arg(context.sessionId));
        if (!context.branchId.isEmpty())
            m_ui->branchRadio->setText(tr("This &branch (%1 of %2)").arg(context.branchId, context.sessionId));
    }
    m_ui->selectedRadio->setText(tr("Se&lected sessions (%1)").arg(context.selectedSessions.size()));
    (hasSession ? m_ui->sessionRadio : m_ui->workspaceRadio)->setChecked(true);

    const QDate today = QDate::currentDate();
    m_ui->fromEdit->setDate(today.addDays(-30));
    m_ui->toEdit->setDate(today);
    m_ui->fromEdit->setEnabled(false);
    m_ui->toEdit->setEnabled(false);
    connect(m_ui->rangeCheck, &QCheckBox::toggled, m_ui->fromEdit, &QWidget::setEnabled);
    connect(m_ui->rangeCheck, &QCheckBox::toggled, m_ui->toEdit, &QWidget::setEnabled);

    const QStringList models = m_prices.models();
    fillModels(m_ui->defaultModelCombo, models, context.defaultModel);
    fillModels(m_ui->overrideCombo, models, QString());
    fillModels(m_ui->compareCombo, models, QString());
    m_ui->overrideCombo->lineEdit()->setPlaceholderText(tr("the recorded or assigned model of each turn"));
    m_ui->compareCombo->lineEdit()->setPlaceholderText(tr("no comparison"));
    m_ui->defaultModelCombo->lineEdit()->setPlaceholderText(tr("none: such turns stay unpriced"));
    m_ui->pricesText->setText(tr("the workbench's table (%1 prices)").arg(m_prices.prices().size()));

    m_ui->formatCombo->addItem(tr("CSV (spreadsheets)"), int(Format::Csv));
    m_ui->formatCombo->addItem(tr("JSON"), int(Format::Json));
    m_ui->formatCombo->addItem(tr("Markdown"), int(Format::Markdown));
    m_ui->formatCombo->addItem(tr("HTML with charts"), int(Format::Html));
    m_ui->formatCombo->addItem(tr("PDF with charts"), int(Format::Pdf));
    const QString base = hasSession ? context.sessionId + QStringLiteral("-usage") : QStringLiteral("usage-report");
    const QString dir = context.directory.isEmpty() ? QDir::homePath() : context.directory;
    m_ui->fileEdit->setText(QDir(dir).filePath(QString(base).replace(u'/', u'_') + QStringLiteral(".csv")));

    m_ui->progressBar->setRange(0, kProgressSteps);
    m_ui->progressBar->setVisible(false);
    m_ui->statusLabel->setVisible(false);
    m_ui->openFolderButton->setVisible(false);

    connect(m_ui->formatCombo, &QComboBox::currentIndexChanged, this, &ExportReportDialog::formatChanged);
    connect(m_ui->browseButton, &QPushButton::clicked, this, &ExportReportDialog::chooseFile);
    connect(m_ui->pricesButton, &QPushButton::clicked, this, &ExportReportDialog::choosePrices);
    connect(m_ui->openFolderButton, &QPushButton::clicked, this, &ExportReportDialog::openFolder);
    connect(m_ui->exportButton, &QPushButton::clicked, this, [this] { exportReport(); });
    connect(m_ui->cancelButton, &QPushButton::clicked, this, [this] {
        if (m_running)
            cancel();
        else
            reject();
    });
}

ExportReportDialog::~ExportReportDialog() = default;

QString ExportReportDialog::suffix(Format format)
{
    switch (format) {
    case Format::Csv: return QStringLiteral("csv");
    case Format::Json: return QStringLiteral("json");
    case Format::Markdown: return QStringLiteral("md");
    case Format::Html: return QStringLiteral("html");
    case Format::Pdf: return QStringLiteral("pdf");
    }
    return QStringLiteral("csv");
}

ExportReportDialog::Options ExportReportDialog::options() const
{
    Options o;
    o.scope = m_ui->branchRadio->isChecked()     ? Scope::Branch
        : m_ui->sessionRadio->isChecked()        ? Scope::Session
        : m_ui->selectedRadio->isChecked()       ? Scope::Selected
                                                 : Scope::Workspace;
    o.format = Format(m_ui->formatCombo->currentData().toInt());
    o.path = m_ui->fileEdit->text().trimmed();
    switch (o.scope) {
    case Scope::Session: o.report.sessionIds = {m_context.sessionId}; break;
    case Scope::Branch:
        o.report.sessionIds = {m_context.sessionId};
        o.report.branchId = m_context.branchId;
        break;
    case Scope::Selected: o.report.sessionIds = m_context.selectedSessions; break;
    case Scope::Workspace: break;
    }
    if (m_ui->rangeCheck->isChecked()) {
        o.report.from = m_ui->fromEdit->date();
        o.report.to = m_ui->toEdit->date();
    }
    o.report.pricing.prices = m_prices;
    o.report.pricing.defaultModel = m_ui->defaultModelCombo->currentText().trimmed();
    o.report.pricing.overrideModel = m_ui->overrideCombo->currentText().trimmed();
    o.report.pricing.whatIfModel = m_ui->compareCombo->currentText().trimmed();
    return o;
}

void ExportReportDialog::setScope(Scope scope)
{
    switch (scope) {
    case Scope::Session: m_ui->sessionRadio->setChecked(true); break;
    case Scope::Branch: m_ui->branchRadio->setChecked(true); break;
    case Scope::Selected: m_ui->selectedRadio->setChecked(true); break;
    case Scope::Workspace: m_ui->workspaceRadio->setChecked(true); break;
    }
}

void ExportReportDialog::setFormat(Format format)
{
    m_ui->formatCombo->setCurrentIndex(std::max(0, m_ui->formatCombo->findData(int(format))));
}

void ExportReportDialog::setPath(const QString& path)
{
    m_ui->fileEdit->setText(path);
}

void ExportReportDialog::setRange(const QDate& from, const QDate& to)
{
    m_ui->rangeCheck->setChecked(from.isValid() || to.isValid());
    if (from.isValid())
        m_ui->fromEdit->setDate(from);
    if (to.isValid())
        m_ui->toEdit->setDate(to);
}

core::Result<void> ExportReportDialog::loadPrices(const QString& path)
{
    auto loaded = core::PriceTable::load(path);
    if (!loaded)
        return loaded.error();
    m_prices = *loaded;
    m_pricesSource = path;
    m_ui->pricesText->setText(tr("%1 (%2 prices)").arg(QFileInfo(path).fileName()).arg(m_prices.prices().size()));
    const QStringList models = m_prices.models();
    fillModels(m_ui->defaultModelCombo, models, m_ui->defaultModelCombo->currentText());
    fillModels(m_ui->overrideCombo, models, m_ui->overrideCombo->currentText());
    fillModels(m_ui->compareCombo, models, m_ui->compareCombo->currentText());
    return {};
}

std::optional<QString> ExportReportDialog::problem() const
{
    const QString path = m_ui->fileEdit->text().trimmed();
    if (path.isEmpty())
        return tr("Choose the file to write.");
    const QFileInfo info(path);
    if (info.isDir())
        return tr("%1 is a folder: choose a file name.").arg(QDir::toNativeSeparators(path));
    if (!info.absoluteDir().exists())
        return tr("The folder %1 does not exist.").arg(QDir::toNativeSeparators(info.absolutePath()));
    if (m_ui->rangeCheck->isChecked() && m_ui->fromEdit->date() > m_ui->toEdit->date())
        return tr("The date range starts after it ends.");
    if (!m_exporter)
        return tr("Reports cannot be written here.");
    return std::nullopt;
}

bool ExportReportDialog::exportReport()
{
    if (m_running)
        return false;
    if (auto p = problem()) {
        showStatus(*p, true);
        return false;
    }
    const Options o = options();
    m_cancelRequested = false;
    m_written.clear();
    setRunning(true);
    m_ui->progressBar->setValue(0);
    showStatus(tr("Building the report…"), false);
    const core::ReportProgress progress = [this](qint64 done, qint64 total) {
        if (total > 0) {
            m_ui->progressBar->setRange(0, kProgressSteps);
            m_ui->progressBar->setValue(int(std::clamp<qint64>(done * kProgressSteps / total, 0, kProgressSteps)));
        } else {
            m_ui->progressBar->setRange(0, 0); // busy
        }
        // The export runs on this thread: let the bar paint and Cancel be clicked.
        QCoreApplication::processEvents();
        return !m_cancelRequested;
    };
    const core::Result<void> result = m_exporter(o, progress);
    const bool cancelled = m_cancelRequested || (!result && result.error().code == core::Error::Code::Cancelled);
    setRunning(false);
    m_ui->progressBar->setRange(0, kProgressSteps);
    if (!result || cancelled) {
        m_ui->progressBar->setValue(0);
        if (cancelled)
            showStatus(tr("Cancelled: no file was written."), false);
        else
            showStatus(tr("The report could not be written: %1").arg(result.error().message), true);
        return false;
    }
    m_written = o.path;
    m_ui->progressBar->setValue(kProgressSteps);
    showStatus(tr("Wrote %1").arg(QDir::toNativeSeparators(QFileInfo(o.path).absoluteFilePath())), false);
    m_ui->openFolderButton->setVisible(true);
    Q_EMIT reportWritten(o.path);
    return true;
}

void ExportReportDialog::cancel()
{
    if (!m_running)
        return;
    m_cancelRequested = true;
    showStatus(tr("Cancelling…"), false);
}

QString ExportReportDialog::statusText() const
{
    return m_ui->statusLabel->text();
}

void ExportReportDialog::reject()
{
    // Escape or the window's close button while exporting cancel the export, not the dialog.
    if (m_running) {
        cancel();
        return;
    }
    QDialog::reject();
}

void ExportReportDialog::setRunning(bool running)
{
    m_running = running;
    for (QWidget* w : {static_cast<QWidget*>(m_ui->scopeGroup), static_cast<QWidget*>(m_ui->pricingGroup),
                       static_cast<QWidget*>(m_ui->outputGroup), static_cast<QWidget*>(m_ui->exportButton)})
        w->setEnabled(!running);
    m_ui->cancelButton->setText(running ? tr("Cancel") : tr("Close"));
    m_ui->progressBar->setVisible(true);
    if (running)
        m_ui->openFolderButton->setVisible(false);
}

void ExportReportDialog::showStatus(const QString& text, bool error)
{
    m_ui->statusLabel->setText(text);
    m_ui->statusLabel->setVisible(!text.isEmpty());
    QPalette p = palette();
    if (error)
        p.setColor(QPalette::WindowText, QColor(0xD5, 0x5E, 0x00));
    m_ui->statusLabel->setPalette(p);
}

void ExportReportDialog::formatChanged()
{
    const QString path = m_ui->fileEdit->text().trimmed();
    if (path.isEmpty())
        return;
    // Follow the format with the file's suffix when it is one of ours (a custom name stays).
    const QFileInfo info(path);
    static const QStringList known{QStringLiteral("csv"), QStringLiteral("json"), QStringLiteral("md"), QStringLiteral("html"),
                                   QStringLiteral("pdf")};
    const QString wanted = suffix(Format(m_ui->formatCombo->currentData().toInt()));
    if (known.contains(info.suffix().toLower()))
        m_ui->fileEdit->setText(path.left(path.size() - info.suffix().size()) + wanted);
}

void ExportReportDialog::chooseFile()
{
    const Format format = Format(m_ui->formatCombo->currentData().toInt());
    const QString ext = suffix(format);
    QString path = QFileDialog::getSaveFileName(this, tr("Export Usage Report"), m_ui->fileEdit->text(),
                                                tr("%1 files (*.%2)").arg(ext.toUpper(), ext));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += u'.' + ext;
    m_ui->fileEdit->setText(path);
}

void ExportReportDialog::choosePrices()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Load Prices"), {}, tr("Price tables (*.json);;All files (*)"));
    if (path.isEmpty())
        return;
    if (auto r = loadPrices(path); !r)
        showStatus(r.error().message, true);
}

void ExportReportDialog::openFolder()
{
    if (!m_written.isEmpty())
        QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(m_written).absolutePath()));
}

ExportReportDialog::Exporter ExportReportDialog::reportExporter(core::SessionStore& store)
{
    return [&store](const Options& o, const core::ReportProgress& progress) -> core::Result<void> {
        // The scan is most of the work; writing (PDF pages above all) the rest.
        const int scanShare = o.format == Format::Pdf ? 60 : 80;
        auto report = core::UsageReportBuilder::build(store, o.report, stage(progress, 0, scanShare));
        if (!report)
            return report.error();
        const core::ReportProgress writing = stage(progress, scanShare, 100 - scanShare);
        if (o.format == Format::Pdf) {
            // PdfReportWriter writes the path itself: write beside it and rename, so a failure or a
            // cancel leaves no half file and an existing file untouched.
            const QString partial = o.path + QStringLiteral(".part");
            auto pages = PdfReportWriter::write(*report, partial, writing);
            if (!pages) {
                QFile::remove(partial);
                return pages.error();
            }
            if ((QFile::exists(o.path) && !QFile::remove(o.path)) || !QFile::rename(partial, o.path)) {
                QFile::remove(partial);
                return core::Error::make(core::Error::Code::Storage, tr("Cannot write %1").arg(o.path));
            }
            return {};
        }
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        core::Result<void> written;
        switch (o.format) {
        case Format::Csv: written = core::CsvReportWriter::write(*report, buffer, writing); break;
        case Format::Json: written = core::JsonReportWriter::write(*report, buffer, writing); break;
        case Format::Markdown: written = core::MarkdownReportWriter::write(*report, buffer, writing); break;
        case Format::Html:
            written = core::HtmlReportWriter::write(*report, PdfReportWriter::chartImages(*report), buffer, writing);
            break;
        case Format::Pdf: break;
        }
        if (!written)
            return written;
        QSaveFile file(o.path);
        if (!file.open(QIODevice::WriteOnly) || file.write(buffer.data()) < 0 || !file.commit())
            return core::Error::make(core::Error::Code::Storage, tr("Cannot write %1: %2").arg(o.path, file.errorString()));
        return {};
    };
}

} // namespace tb::ui
