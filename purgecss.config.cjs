// Bootstrap's rules that the pages use, nothing else (`make css`; the output is committed).
// Content: every template (ours, crispy-bootstrap5's), the Python that writes
// class names into widgets and messages, and the few scripts.
module.exports = {
  css: ["static/vendor/bootstrap/bootstrap.min.css"],
  content: [
    "templates/**/*.html",
    "{products,orders,reviews,storefront}/**/*.py",
    "static/js/*.js",
    process.env.CRISPY_TEMPLATES + "/**/*.html",
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
