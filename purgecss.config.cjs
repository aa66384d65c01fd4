// Bootstrap's rules that the pages use, nothing else (`make css`; the output is committed).
// Content: every template (ours, crispy-bootstrap5's), the Python that writes
// class names into widgets and messages, and the few scripts.
const fs = require("fs");
const path = require("path");

// crispy-bootstrap5's templates for layout objects no form here uses (no form has a FormHelper
// layout): accordions, modals, tabs, floating labels, switches, input groups and alerts would
// otherwise keep about 13 KB of rules that every page downloads.
const UNUSED_CRISPY = /(^|\/)(accordion[^/]*|layout\/(modal|floating_field|field_with_buttons|prepended_appended_text|switch|tab[^/]*|alert))\.html$/;
const crispy = process.env.CRISPY_TEMPLATES;
const crispyTemplates = fs
  .readdirSync(crispy, { recursive: true })
  .filter((name) => name.endsWith(".html") && !UNUSED_CRISPY.test(name))
  .map((name) => path.join(crispy, name));

module.exports = {
  css: ["static/vendor/bootstrap/bootstrap.min.css"],
  content: [
    "templates/**/*.html",
    "{products,orders,reviews,storefront}/**/*.py",
    "static/js/*.js",
    ...crispyTemplates,
    // Django's widgets: their templates, and the input types (radio, checkbox) named in Python.
    process.env.DJANGO_FORMS + "/**/*.{html,py}",
  ],
  output: "static/vendor/bootstrap/bootstrap.used.css",
  // Made from a variable: message levels (alert-{{ tag }}) and form states.
  safelist: { standard: [/^alert-/, /^is-(in)?valid$/, /^(in)?valid-feedback$/] },
  variables: true,
  keyframes: true,
  fontFace: true,
};
