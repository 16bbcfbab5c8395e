/* A background job's page (a report export, an evidence pack): while the job runs, its progress, message and
   status are read from the element's data-progress-url every 1.5 s; the page reloads when the job is finished
   (then it shows the download). Without JavaScript the page refreshes itself (<noscript> in the template). */
(function () {
  document.querySelectorAll("[data-progress-url]").forEach(function (box) {
    function part(name) { return box.querySelector("[data-progress-part='" + name + "']"); }
    function poll() {
      fetch(box.dataset.progressUrl, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
        .then(function (response) { return response.json(); })
        .then(function (data) {
          part("bar").value = data.progress;
          part("percent").textContent = data.progress + " %";
          part("message").textContent = data.message;
          part("status").textContent = data.status_label;
          if (data.finished) { window.location.reload(); } else { window.setTimeout(poll, 1500); }
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    }
    window.setTimeout(poll, 1000);
  });
})();
