/// The handout's styles, inline in the page so it needs nothing else to show or print.
///
/// On screen it reads as a web page; printed, a routine's drills sit in two columns in small type (7.2 pt, the
/// drawings 6 pt) so that a routine of eight drills fits one page. No paper size is set: the printer's own (A4 or
/// Letter) is used, and the same layout fits both. A drill prints at 12 pt; a session or a deck at 10 pt.
///
/// Sizes are in `em`, relative to the body's type size, so one rule per kind of page sets the scale.
enum HandoutStyle {
    static let css = """
        table { border-collapse: collapse; margin: .4em 0 .8em; }
        th, td { border: 1px solid #c5ced6; padding: .2em .5em; text-align: left; vertical-align: top; }
        .programme { border: 1.5px solid #333; border-radius: 4px; padding: 2mm 3mm; margin: 0 0 3mm; }
        .programme p { margin: 0 0 1.2mm; }
        .programme ul.days { display: flex; flex-wrap: wrap; gap: 1mm 4mm; list-style: none; margin: 0; padding: 0; }
        .programme .box { font-size: 1.3em; }
        :root { --ink: #1b242d; --muted: #56636f; --line: #c5ced6; --accent: #25607f; --warn: #8a4100; \
        --warn-bg: #fff4e5; }
        * { box-sizing: border-box; }
        body { margin: 0; font-family: "Helvetica Neue", Helvetica, Arial, "DejaVu Sans", sans-serif; \
        color: var(--ink); font-size: 16px; line-height: 1.4; }
        main.handout { max-width: 62em; margin: 1.5em auto; padding: 0 1.5em; }
        h1 { font-size: 1.6em; margin: 0 0 .15em; }
        h2 { font-size: 1.15em; margin: 0 0 .2em; }
        h3 { font-size: .95em; margin: .3em 0 .1em; }
        p { margin: 0 0 .4em; }
        header .facts { color: var(--muted); }
        .number { display: inline-block; min-width: 1.5em; margin-right: .1em; padding: 0 .3em; border-radius: .75em; \
        background: var(--accent); color: #fff; text-align: center; font-size: .9em; }
        .safety { margin: .4em 0; padding: .3em .6em; border-left: 4px solid var(--warn); background: var(--warn-bg); }
        .safety .label { color: var(--warn); }
        .safety p { margin: 0; }
        .notes { margin: .4em 0 .8em; }
        .drills { display: flex; flex-wrap: wrap; gap: 0 .8em; align-items: flex-start; }
        .drills .column { flex: 1 1 26em; min-width: 0; }
        article.drill { margin: 0 0 .8em; padding: .5em .7em; border: 1px solid var(--line); border-radius: 6px; \
        break-inside: avoid; page-break-inside: avoid; }
        main.drill article.drill { border: none; padding: 0; }
        .purpose { font-style: italic; }
        dl.facts { display: grid; grid-template-columns: auto 1fr; gap: 0 .6em; margin: 0 0 .3em; }
        dl.facts dt { font-weight: bold; }
        dl.facts dd { margin: 0; }
        .how.with-figures { display: flex; gap: .9em; align-items: flex-start; }
        .figures { display: flex; flex-direction: column; gap: .35em; flex: none; }
        figure { margin: 0; }
        pre { margin: 0; font-family: "DejaVu Sans Mono", Menlo, Consolas, "Liberation Mono", monospace; \
        font-size: .8em; line-height: 1.15; }
        figcaption { font-size: .8em; color: var(--muted); }
        .steps { flex: 1; min-width: 0; }
        .steps h3:first-child { margin-top: 0; }
        ol, ul { margin: 0 0 .3em; padding-left: 1.3em; }
        li { margin: 0 0 .1em; }
        blockquote { margin: .3em 0 .5em; padding-left: .7em; border-left: 3px solid var(--line); }
        .script { margin: .3em 0 .5em; padding: .3em .6em; border: 1px dashed var(--line); color: var(--muted); }
        .script .label { font-weight: bold; }
        section.step, section.slide { margin: 1em 0; }
        section.step > h2, section.slide > h2 { break-after: avoid; page-break-after: avoid; }
        section.step article.drill { margin: .4em 0; }
        @page { margin: 9mm 10mm; }
        @media print {
          body { font-size: 10pt; }
          body.drill { font-size: 12pt; }
          body.drill pre, body.drill figcaption { font-size: 1em; }
          body.routine { font-size: 7.2pt; line-height: 1.12; }
          main.handout { max-width: none; margin: 0; padding: 0; }
          body.routine h1 { font-size: 1.9em; }
          body.routine header p { margin-bottom: .45em; }
          body.routine .notes { margin: .4em 0 .8em; }
          .drills { flex-wrap: nowrap; gap: 0 3mm; }
          body.routine article.drill { margin-bottom: 1.6mm; padding: 1mm 2mm; border-radius: 3px; }
          body.routine li { margin: 0; }
          pre { line-height: 1; }
          body.routine pre, body.routine figcaption { font-size: .83em; }
          body.routine .figures { gap: 1mm; }
          body.routine article.drill .safety { margin: .8mm 0 0; padding: .5mm 1.5mm; font-size: .92em; }
          .number, .safety { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        }
        """
}
