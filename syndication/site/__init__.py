"""The static site: where each file lives and the words, templates and view models that feeds
and pages share (`paths`, `words`, `templates`, `release_views`), and the build that plans,
renders and writes them (`build`, `fingerprints`, `manifest`, `writer`).

Data flows one way: `feeds/` and `pages/` use the lower modules; `build` uses `feeds/` and
`pages/`; none of the lower modules imports `feeds/`, `pages/` or the build.
"""
