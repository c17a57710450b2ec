import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import '../shared/styles.css'
import { App } from './App'
import { readApplySlug } from './apply'
import { ApplyApp } from './ApplyApp'

const slug = readApplySlug()

createRoot(document.getElementById('root')!).render(<StrictMode>{slug ? <ApplyApp slug={slug} /> : <App />}</StrictMode>)
