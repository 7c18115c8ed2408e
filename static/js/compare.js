/* Search-as-you-type for the comparison page's "add a municipality" field: an ARIA 1.2
   combobox with a listbox of suggestions from /jamfor/kommuner.json. Without this file the
   field still works: the form is a plain GET and the server searches. Choosing a suggestion
   adds it as a k= parameter and submits the form. Its words come translated from the
   input's data-text-* attributes. */
(function () {
  "use strict";

  var DELAY_MS = 150;

  function setUp(input) {
    var form = input.form;
    var wrapper = input.parentNode;
    var listbox = document.createElement("ul");
    var status = document.createElement("div");
    var options = [];
    var active = -1;
    var timer = null;
    var requestNumber = 0;
    var text = input.dataset;

    listbox.id = input.id + "-forslag";
    listbox.className = "combobox-list";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", text.textSuggestions);
    listbox.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    wrapper.appendChild(listbox);
    wrapper.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      options.forEach(function (option, i) {
        option.element.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].element.id);
        options[index].element.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var result = options[index] && options[index].result;
      if (!result || result.year === null) {
        return;
      }
      var key = document.createElement("input");
      key.type = "hidden";
      key.name = "k";
      key.value = result.slug;
      form.appendChild(key);
      input.value = "";
      input.disabled = true; // not submitted: the hidden k= carries the choice
      close();
      form.submit();
    }

    function describe(result) {
      var name = result.name + " (" + result.county + ")";
      if (result.year === null) {
        return name + " – " + text.textUnpublished;
      }
      return name + " – " + result.year + ", " + text.textVersion + " " + result.version;
    }

    function show(results) {
      listbox.textContent = "";
      options = results.map(function (result, index) {
        var element = document.createElement("li");
        element.id = listbox.id + "-" + index;
        element.setAttribute("role", "option");
        element.setAttribute("aria-selected", "false");
        element.textContent = describe(result);
        if (result.year === null) {
          element.setAttribute("aria-disabled", "true");
        }
        element.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep focus in the input
        });
        element.addEventListener("click", function () {
          choose(index);
        });
        listbox.appendChild(element);
        return { element: element, result: result };
      });
      active = -1;
      if (options.length) {
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
      status.textContent =
        options.length === 0
          ? text.textNone
          : options.length === 1
            ? text.textOne
            : text.textMany.replace("N", options.length);
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      var number = ++requestNumber;
      if (!query) {
        show([]);
        status.textContent = "";
        return;
      }
      fetch(input.dataset.pickerUrl + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          if (number === requestNumber) {
            show(data.results || []);
          }
        })
        .catch(function () {
          close(); // the plain form submit still works
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var open = !listbox.hidden && options.length > 0;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) {
          fetchSuggestions();
        } else {
          highlight(active + 1 < options.length ? active + 1 : 0);
        }
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        highlight(active > 0 ? active - 1 : options.length - 1);
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });

    input.addEventListener("blur", function () {
      window.setTimeout(close, 100);
    });

    window.addEventListener("pageshow", function () {
      input.disabled = false; // coming back from the next page through the history
    });
  }

  function setUpAll() {
    document.querySelectorAll("input[data-picker-url]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
