// The candidate app's words live in its catalogs (src/candidate/strings/): fail on words written
// in a component instead: JSX text, a literal shown from a JSX expression ({busy ? 'Wait' : t.x}),
// or a literal aria-label, title, alt, placeholder or label.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'

const DIR = new URL('../src/candidate/', import.meta.url).pathname
const ATTRIBUTES = new Set(['aria-label', 'aria-description', 'aria-roledescription', 'aria-valuetext', 'title', 'alt', 'placeholder', 'label'])
const WORD = /\p{L}{2,}/u

const found = []
for (const name of readdirSync(DIR).filter((n) => n.endsWith('.tsx'))) {
  const path = join(DIR, name)
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX)
  const report = (node, text) => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart())
    found.push(`${name}:${line + 1}: ${JSON.stringify(text.trim())}`)
  }
  // What a child expression shows: the literals among its branches, not the arguments of its calls.
  const shown = (node) => {
    if (!node) return
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      if (WORD.test(node.text)) report(node, node.text)
    } else if (ts.isTemplateExpression(node)) {
      for (const part of [node.head, ...node.templateSpans.map((span) => span.literal)]) if (WORD.test(part.text)) report(node, part.text)
      node.templateSpans.forEach((span) => shown(span.expression))
    } else if (ts.isConditionalExpression(node)) {
      shown(node.whenTrue)
      shown(node.whenFalse)
    } else if (ts.isBinaryExpression(node)) {
      const op = node.operatorToken.kind
      if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) shown(node.left)
      if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) shown(node.right)
    } else if (ts.isParenthesizedExpression(node)) shown(node.expression)
  }
  const visit = (node) => {
    if (ts.isJsxText(node) && WORD.test(node.text)) report(node, node.text)
    if (ts.isJsxExpression(node) && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))) shown(node.expression)
    if (ts.isJsxAttribute(node) && ATTRIBUTES.has(node.name.getText(source)) && node.initializer) {
      const value = ts.isJsxExpression(node.initializer) ? node.initializer.expression : node.initializer
      if (value && (ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value)) && WORD.test(value.text)) report(node, value.text)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
}
if (found.length) {
  console.error(`Words in candidate components (move them to src/candidate/strings/):\n${found.join('\n')}`)
  process.exit(1)
}
