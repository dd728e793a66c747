// @refinedev/antd's MarkdownField is the only user of react-markdown and remark-gfm, and the
// console renders no Markdown: these stand in so the parser (~40 KB gzipped) stays out of the bundle.
export default function MarkdownStub(): null {
  return null;
}
