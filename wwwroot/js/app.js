// Remembers the dark/light choice in a cookie, so the server renders the chosen theme on the next first paint.
window.dashboardTheme = {
    save: function (dark) {
        document.cookie = "dashboard-theme=" + (dark ? "dark" : "light") + "; path=/; max-age=31536000; samesite=lax";
    }
};
