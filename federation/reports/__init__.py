"""The year-end report: one document model (document.py), assembled once from
the data by each app's section builders, rendered to HTML, DOCX, PDF and XLSX."""
