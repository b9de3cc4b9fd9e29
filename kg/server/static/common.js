// Shared by every page: the "find an entity" box in the header goes to /entity/NAME.
(function () {
  "use strict";
  const form = document.getElementById("find-entity");
  if (!form) return;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const name = form.elements.name.value.trim();
    if (name) window.location.href = "/entity/" + encodeURIComponent(name);
  });
})();
