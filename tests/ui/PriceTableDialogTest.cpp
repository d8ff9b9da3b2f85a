// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
// PriceTableModel under QAbstractItemModelTester (edits parsed from text, versions, problems,
// sorting) and PriceTableDialog (add, remove, filter, versions, flat price, JSON import/export,
// defaults, accept refusing a broken table).
#include "TempDir.h"

#include "ui/PriceTableDialog.h"
#include "ui/PriceTableModel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;
using tb::core::ModelPrice;
using tb::core::PriceTable;
using tb::ui::PriceTableDialog;
using tb::ui::PriceTableModel;

namespace {

int rowOf(const PriceTableModel& model, const QString& name, const QDate& effective = {})
{
    for (int r = 0; r < model.rowCount(); ++r) {
        if (model.price(r).model == name && (!effective.isValid() || model.price(r).effective == effective))
            return r;
    }
    return -1;
}

QString text(const PriceTableModel& model, int row, int column, int role = Qt::DisplayRole)
{
    return model.data(model.index(row, column), role).toString();
}

TEST(PriceTableModel, EditsAreParsedFromText)
{
    PriceTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setTable(PriceTable::defaults());
    ASSERT_EQ(model.rowCount(), int(PriceTable::defaults().prices().size()));
    const int row = rowOf(model, u"gpt-5"_s);
    ASSERT_GE(row, 0);
    EXPECT_EQ(text(model, row, PriceTableModel::InputColumn), u"1.25"_s);
    EXPECT_EQ(text(model, row, PriceTableModel::CachedColumn), u"0.125"_s);
    EXPECT_EQ(text(model, row, PriceTableModel::OutputColumn), u"10"_s);
    EXPECT_EQ(text(model, row, PriceTableModel::ReasoningColumn), u"as output"_s);
    EXPECT_EQ(text(model, row, PriceTableModel::ReasoningColumn, Qt::EditRole), QString());
    EXPECT_EQ(text(model, row, PriceTableModel::EffectiveColumn), u"2025-08-07"_s);

    auto edit = [&](int column, const QString& value) { return model.setData(model.index(row, column), value); };
    EXPECT_TRUE(edit(PriceTableModel::InputColumn, u"0.025"_s));
    EXPECT_DOUBLE_EQ(model.price(row).inputPerMillion, 0.025);
    EXPECT_TRUE(edit(PriceTableModel::OutputColumn, u" $12.5 "_s));
    EXPECT_DOUBLE_EQ(model.price(row).outputPerMillion, 12.5);
    EXPECT_FALSE(edit(PriceTableModel::OutputColumn, u"twelve"_s));
    EXPECT_FALSE(edit(PriceTableModel::CachedColumn, u"-1"_s));
    EXPECT_DOUBLE_EQ(model.price(row).outputPerMillion, 12.5);
    EXPECT_DOUBLE_EQ(model.price(row).cachedInputPerMillion, 0.125);

    EXPECT_TRUE(edit(PriceTableModel::ReasoningColumn, u"15"_s));
    EXPECT_EQ(model.price(row).reasoningPerMillion, 15.0);
    EXPECT_TRUE(edit(PriceTableModel::ReasoningColumn, QString()));
    EXPECT_FALSE(model.price(row).reasoningPerMillion.has_value());

    EXPECT_TRUE(edit(PriceTableModel::EffectiveColumn, u"2026-01-31"_s));
    EXPECT_EQ(model.price(row).effective, QDate(2026, 1, 31));
    EXPECT_FALSE(edit(PriceTableModel::EffectiveColumn, u"2026-13-01"_s));
    EXPECT_TRUE(model.setData(model.index(row, PriceTableModel::EffectiveColumn), QDate(2026, 2, 1)));
    EXPECT_EQ(model.price(row).effective, QDate(2026, 2, 1));
    EXPECT_TRUE(edit(PriceTableModel::EffectiveColumn, QString()));
    EXPECT_FALSE(model.price(row).effective.isValid());
    EXPECT_EQ(text(model, row, PriceTableModel::EffectiveColumn), u"always"_s);

    const PriceTable edited = model.table();
    ASSERT_TRUE(edited.find(u"gpt-5"_s).has_value());
    EXPECT_DOUBLE_EQ(edited.find(u"gpt-5"_s)->inputPerMillion, 0.025);
}

TEST(PriceTableModel, RowsInsertRemoveAndSortKeepPersistentIndexes)
{
    PriceTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setTable(PriceTable::defaults());
    const int n = model.rowCount();
    ASSERT_TRUE(model.insertRows(1, 2));
    EXPECT_EQ(model.rowCount(), n + 2);
    EXPECT_TRUE(model.price(1).model.isEmpty());
    ASSERT_TRUE(model.removeRows(1, 2));
    EXPECT_EQ(model.rowCount(), n);
    EXPECT_FALSE(model.removeRows(n, 1));

    const QPersistentModelIndex nano(model.index(rowOf(model, u"gpt-5-nano"_s), PriceTableModel::ModelColumn));
    model.sort(PriceTableModel::InputColumn, Qt::AscendingOrder);
    // The demo model is free and sorts first; gpt-5-nano (0.05) next.
    EXPECT_EQ(model.price(0).model, u"threadbench-demo"_s);
    EXPECT_EQ(model.price(1).model, u"gpt-5-nano"_s);
    EXPECT_EQ(nano.row(), 1);
    model.sort(PriceTableModel::InputColumn, Qt::DescendingOrder);
    EXPECT_EQ(model.price(0).model, u"gpt-4o"_s); // 2.50, the dearest input
    EXPECT_EQ(model.data(nano, Qt::DisplayRole).toString(), u"gpt-5-nano"_s);

    const int row = model.addPrice(PriceTable::flat(u"lesson"_s, 0.01));
    EXPECT_EQ(row, n);
    EXPECT_EQ(text(model, row, PriceTableModel::InputColumn), u"10"_s);
    EXPECT_EQ(model.setPrice(PriceTable::flat(u"lesson"_s, 0.02)), row); // same model and date: replaced
    EXPECT_EQ(model.rowCount(), n + 1);
    EXPECT_DOUBLE_EQ(model.price(row).outputPerMillion, 20);
}

TEST(PriceTableModel, ProblemsNameTheRowAndCell)
{
    PriceTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    PriceTable t;
    t.add({u"a"_s, 1, 0.5, 2, QDate(2025, 1, 1)});
    t.add({u"a"_s, 1, 0.5, 3, QDate(2025, 6, 1)}); // a second version: fine
    model.setTable(t);
    EXPECT_FALSE(model.firstProblem().has_value());

    model.addPrice({u"a"_s, 9, 9, 9, QDate(2025, 6, 1)});
    auto problem = model.firstProblem();
    ASSERT_TRUE(problem.has_value());
    EXPECT_EQ(problem->row, 2);
    EXPECT_EQ(problem->column, int(PriceTableModel::EffectiveColumn));
    EXPECT_TRUE(problem->message.contains(u"2025-06-01"_s)) << qPrintable(problem->message);
    EXPECT_EQ(model.data(model.index(2, PriceTableModel::EffectiveColumn), Qt::ToolTipRole).toString(), problem->message);

    ASSERT_TRUE(model.setData(model.index(2, PriceTableModel::EffectiveColumn), u"2026-01-01"_s));
    EXPECT_FALSE(model.firstProblem().has_value());

    model.addPrice({});
    problem = model.firstProblem();
    ASSERT_TRUE(problem.has_value());
    EXPECT_EQ(problem->row, 3);
    EXPECT_EQ(problem->column, int(PriceTableModel::ModelColumn));
}

class PriceTableDialogTest : public ::testing::Test
{
protected:
    template <typename T>
    T* child(const char* name)
    {
        T* c = dialog.findChild<T*>(QString::fromLatin1(name));
        EXPECT_NE(c, nullptr) << name;
        return c;
    }

    void SetUp() override
    {
        dialog.show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(&dialog));
    }

    tb::test::TempDir dir;
    PriceTableDialog dialog{PriceTable::defaults(), u"gpt-4.1-mini"_s};
};

TEST_F(PriceTableDialogTest, ReturnsTheEditedTableAndDefaultModel)
{
    EXPECT_EQ(dialog.defaultModel(), u"gpt-4.1-mini"_s);
    auto* combo = child<QComboBox>("defaultModelCombo");
    ASSERT_NE(combo, nullptr);
    EXPECT_GE(combo->findText(u"gpt-5-mini"_s), 0);
    combo->setCurrentText(u"gpt-5-mini"_s);
    EXPECT_EQ(dialog.defaultModel(), u"gpt-5-mini"_s);

    PriceTableModel* model = dialog.model();
    const int row = rowOf(*model, u"o3"_s);
    ASSERT_TRUE(model->setData(model->index(row, PriceTableModel::OutputColumn), u"6"_s));
    EXPECT_DOUBLE_EQ(dialog.table().find(u"o3"_s)->outputPerMillion, 6.0);
}

TEST_F(PriceTableDialogTest, AddTypeAndRemoveThroughTheButtons)
{
    auto* view = child<QTableView>("priceView");
    auto* add = child<QPushButton>("addButton");
    auto* remove = child<QPushButton>("removeButton");
    ASSERT_TRUE(view && add && remove);
    const int before = dialog.model()->rowCount();
    QTest::mouseClick(add, Qt::LeftButton);
    ASSERT_EQ(dialog.model()->rowCount(), before + 1);
    // The new row's model cell is open for typing.
    auto* editor = view->viewport()->findChild<QLineEdit*>();
    ASSERT_NE(editor, nullptr);
    EXPECT_EQ(view->currentIndex().column(), int(PriceTableModel::ModelColumn));
    QTest::keyClicks(editor, u"my-model"_s);
    QTest::keyClick(editor, Qt::Key_Return);
    QCoreApplication::processEvents(); // the delegate commits on Return through a queued call
    EXPECT_EQ(dialog.model()->price(before).model, u"my-model"_s);

    view->selectRow(view->currentIndex().row());
    EXPECT_TRUE(remove->isEnabled());
    QTest::mouseClick(remove, Qt::LeftButton);
    EXPECT_EQ(dialog.model()->rowCount(), before);
    EXPECT_EQ(rowOf(*dialog.model(), u"my-model"_s), -1);
}

TEST_F(PriceTableDialogTest, FilterShowsMatchingModels)
{
    auto* view = child<QTableView>("priceView");
    auto* filter = child<QLineEdit>("filterEdit");
    ASSERT_TRUE(view && filter);
    QTest::keyClicks(filter, u"NANO"_s);
    ASSERT_EQ(view->model()->rowCount(), 2); // gpt-5-nano, gpt-4.1-nano
    for (int r = 0; r < 2; ++r)
        EXPECT_TRUE(view->model()->index(r, 0).data().toString().endsWith(u"-nano"_s));
}

TEST_F(PriceTableDialogTest, NewVersionKeepsTheOldPriceForOldDays)
{
    PriceTableModel* model = dialog.model();
    const int row = rowOf(*model, u"gpt-4.1"_s);
    const int added = dialog.addVersion(row, QDate(2026, 6, 1));
    ASSERT_NE(added, row);
    ASSERT_TRUE(model->setData(model->index(added, PriceTableModel::InputColumn), u"1.5"_s));
    const PriceTable t = dialog.table();
    EXPECT_EQ(t.versions(u"gpt-4.1"_s).size(), 2);
    EXPECT_DOUBLE_EQ(t.find(u"gpt-4.1"_s, QDate(2026, 1, 1))->inputPerMillion, 2.0);
    EXPECT_DOUBLE_EQ(t.find(u"gpt-4.1"_s, QDate(2026, 7, 1))->inputPerMillion, 1.5);
}

TEST_F(PriceTableDialogTest, FlatPriceIsTheLessonsPricePerThousandTokens)
{
    dialog.addFlatPrice(u"lesson"_s, 0.01);
    const auto price = dialog.table().find(u"lesson"_s);
    ASSERT_TRUE(price.has_value());
    EXPECT_DOUBLE_EQ(PriceTable::cost(*price, 600, 100, 400), 0.01); // 1,000 tokens of any kind
}

TEST_F(PriceTableDialogTest, ExportThenImportReplaceAndMerge)
{
    PriceTableModel* model = dialog.model();
    model->setData(model->index(rowOf(*model, u"gpt-5"_s), PriceTableModel::ReasoningColumn), u"12"_s);
    const QString path = dir.filePath(u"prices.json"_s);
    ASSERT_TRUE(dialog.exportFile(path).has_value());

    PriceTableDialog other(PriceTable{}, {});
    EXPECT_EQ(other.model()->rowCount(), 0);
    ASSERT_TRUE(other.importFile(path, PriceTableDialog::ImportMode::Replace).has_value());
    EXPECT_EQ(other.model()->rowCount(), model->rowCount());
    EXPECT_EQ(other.table().find(u"gpt-5"_s)->reasoningPerMillion, 12.0);

    // Merge: a changed price of the same model and date replaces, a new model is added.
    PriceTable changes;
    changes.add({u"gpt-5"_s, 1.0, 0.1, 9.0, QDate(2025, 8, 7)});
    changes.add({u"local-llama"_s, 0, 0, 0, {}});
    const QString changesPath = dir.filePath(u"changes.json"_s);
    ASSERT_TRUE(changes.save(changesPath).has_value());
    ASSERT_TRUE(other.importFile(changesPath, PriceTableDialog::ImportMode::Merge).has_value());
    EXPECT_EQ(other.model()->rowCount(), model->rowCount() + 1);
    EXPECT_DOUBLE_EQ(other.table().find(u"gpt-5"_s)->outputPerMillion, 9.0);
    EXPECT_TRUE(other.table().find(u"local-llama"_s).has_value());

    QFile bad(dir.filePath(u"bad.json"_s));
    ASSERT_TRUE(bad.open(QIODevice::WriteOnly));
    bad.write("{not json");
    bad.close();
    auto failed = other.importFile(bad.fileName(), PriceTableDialog::ImportMode::Replace);
    ASSERT_FALSE(failed.has_value());
    EXPECT_FALSE(failed.error().message.isEmpty());
    EXPECT_EQ(other.model()->rowCount(), model->rowCount() + 1); // unchanged
}

TEST_F(PriceTableDialogTest, AcceptRefusesABrokenTableAndPointsAtIt)
{
    PriceTableModel* model = dialog.model();
    const int row = model->addPrice({u"gpt-4o"_s, 1, 1, 1, QDate(2025, 8, 7)}); // duplicates the default row
    auto* problem = child<QLabel>("problemLabel");
    ASSERT_NE(problem, nullptr);
    EXPECT_TRUE(problem->isVisible());
    EXPECT_EQ(problem->text(), u"gpt-4o has two prices from 2025-08-07: change the date of one or remove it"_s);
    EXPECT_FALSE(dialog.exportFile(dir.filePath(u"x.json"_s)).has_value());

    dialog.accept();
    EXPECT_TRUE(dialog.isVisible());
    EXPECT_NE(dialog.result(), QDialog::Accepted);
    auto* view = child<QTableView>("priceView");
    auto* proxy = view->model();
    EXPECT_EQ(view->currentIndex().column(), int(PriceTableModel::EffectiveColumn));
    EXPECT_EQ(proxy->index(view->currentIndex().row(), PriceTableModel::ModelColumn).data().toString(), u"gpt-4o"_s);

    model->removeRows(row, 1);
    EXPECT_FALSE(problem->isVisible());
    dialog.accept();
    EXPECT_EQ(dialog.result(), QDialog::Accepted);
}

TEST_F(PriceTableDialogTest, ResetToDefaults)
{
    dialog.model()->removeRows(0, dialog.model()->rowCount());
    EXPECT_EQ(dialog.model()->rowCount(), 0);
    dialog.resetToDefaults();
    EXPECT_EQ(dialog.model()->rowCount(), int(PriceTable::defaults().prices().size()));
}

} // namespace

namespace {

// Not a check: TB_SCREENSHOT_DIR=/some/dir writes the dialog for a visual look.
TEST_F(PriceTableDialogTest, Screenshot)
{
    // Writes the README pictures into TB_SCREENSHOT_DIR when set; otherwise into a temporary
    // folder, so the rendering and saving are exercised on every run.
    tb::test::TempDir screenshotTemp;
    const QString out = qEnvironmentVariable("TB_SCREENSHOT_DIR").isEmpty() ? screenshotTemp.path()
                                                                      : qEnvironmentVariable("TB_SCREENSHOT_DIR");
    dialog.addVersion(rowOf(*dialog.model(), u"gpt-4.1"_s), QDate(2026, 6, 1));
    dialog.model()->addPrice({u"gpt-4o"_s, 1, 1, 1, QDate(2025, 8, 7)});
    QCoreApplication::processEvents();
    EXPECT_TRUE(dialog.grab().save(out + u"/prices.png"_s));
}

} // namespace
