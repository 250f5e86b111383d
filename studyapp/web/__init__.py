"""The browser side of studyapp: one blueprint per area."""
