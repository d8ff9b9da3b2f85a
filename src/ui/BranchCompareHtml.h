// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/BranchComparison.h"

#include <QColor>
#include <QPalette>
#include <QString>

namespace tb::ui {

/// Rich text for the side-by-side view of a branch comparison: a two-column table, one header row
/// per turn and one row per item pair, the left cell with removed words highlighted, the right cell
/// with inserted ones. Pages of turns are rendered on demand, so text diffs are only computed for
/// what is shown.
class BranchCompareHtml final
{
public:
    struct Colors
    {
        QColor removed;  // background of words only on the left
        QColor inserted; // background of words only on the right
        QColor text;
        QColor muted;
        QColor header; // turn header rows
        QColor shared; // the collapsed shared-turns line
    };

    struct Options
    {
        qsizetype maxCharsPerItem = 20'000; // a 10 MB message shows its start (the diff saw all of it)
        bool sharedExpanded = false;
        qsizetype maxSharedItems = 200; // the last ones, when the shared turns are expanded
        QString monospaceFamily;
    };

    /// Tints that keep the palette's text readable on them, light or dark.
    static Colors colorsFor(const QPalette& palette);

    /// "Turns 1–3 shared (12 items)", "Nothing shared: the branches differ from turn 1", …
    static QString forkLine(const core::BranchComparison& comparison);

    /// Turns [first, first + count) of the comparison. Links: `open:left/N`, `open:right/N` (open
    /// that side at turn N) and `shared:toggle`; each turn has the anchor `turn-N`.
    static QString page(const core::BranchComparison& comparison, const QString& leftName, const QString& rightName,
                        qsizetype first, qsizetype count, const Colors& colors, const Options& options);
};

} // namespace tb::ui
