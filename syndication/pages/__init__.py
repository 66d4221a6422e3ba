"""Pages: the static web site's HTML, from view models (`views`) through Jinja2 templates."""
