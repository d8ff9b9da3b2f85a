// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "DialogAnalystPrompter.h"

#include "core/Json.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>

namespace tb::ui {

namespace {

// The answer closes its dialog when the run no longer needs it.
class DialogAnswer final : public agent::AnalystAnswer
{
public:
    using AnalystAnswer::AnalystAnswer;
    QPointer<QDialog> dialog;
    void cancel() override
    {
        if (dialog)
            dialog->close();
        AnalystAnswer::cancel();
    }
};

QString pretty(const QString& json)
{
    auto parsed = core::Json::parse(json);
    if (!parsed)
        return json;
    return parsed->pretty();
}

} // namespace

agent::AnalystAnswer* DialogAnalystPrompter::ask(const agent::AnalystQuestion& question, QObject* parent)
{
    auto* answer = new DialogAnswer(parent);
    auto* dialog = new QDialog(m_parent);
    dialog->setObjectName(QStringLiteral("analystDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(QObject::tr("The agent asks you: %1").arg(question.toolName));
    auto* layout = new QVBoxLayout(dialog);
    auto* intro = new QLabel(QObject::tr("The agent called <b>%1</b> (call %2) in session %3. Type the output the tool should return.")
                                 .arg(question.toolName.toHtmlEscaped(), question.callId.toHtmlEscaped(),
                                      question.sessionId.toHtmlEscaped()),
                             dialog);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    if (!question.prompt.isEmpty()) {
        auto* prompt = new QLabel(question.prompt, dialog);
        prompt->setWordWrap(true);
        layout->addWidget(prompt);
    }
    auto* args = new QPlainTextEdit(pretty(question.argumentsText), dialog);
    args->setObjectName(QStringLiteral("analystArguments"));
    args->setAccessibleName(QObject::tr("Call arguments"));
    args->setReadOnly(true);
    args->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    layout->addWidget(args);
    auto* output = new QPlainTextEdit(dialog);
    output->setObjectName(QStringLiteral("analystOutput"));
    output->setAccessibleName(QObject::tr("Tool output"));
    output->setPlaceholderText(QObject::tr("Tool output"));
    layout->addWidget(output);
    auto* buttons = new QDialogButtonBox(dialog);
    QPushButton* ok = buttons->addButton(QObject::tr("&Answer"), QDialogButtonBox::AcceptRole);
    buttons->addButton(QObject::tr("&Decline"), QDialogButtonBox::RejectRole);
    ok->setObjectName(QStringLiteral("analystAnswerButton"));
    layout->addWidget(buttons);
    answer->dialog = dialog;
    QObject::connect(buttons, &QDialogButtonBox::accepted, dialog, [dialog, output, answer] {
        answer->finish(output->toPlainText());
        dialog->accept();
    });
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    QObject::connect(dialog, &QDialog::finished, answer, [answer](int) {
        answer->finish(core::Error::make(core::Error::Code::Cancelled, QObject::tr("The analyst declined to answer")));
    });
    dialog->resize(560, 420);
    dialog->show();
    return answer;
}

} // namespace tb::ui
